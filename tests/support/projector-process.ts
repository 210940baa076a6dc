import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');

export interface Build {
  /** Absolute path of a built entry point, e.g. `entry('apps/projector/src/main')`. */
  entry(relative: string): string;
  remove(): void;
}

/**
 * Builds the apps with the real `scripts/build.mjs --root <tmp>`, into a private directory, so a
 * test never races another test (or a developer) rebuilding `dist/` under a running process.
 */
export function buildApps(): Build {
  const root = mkdtempSync(path.join(tmpdir(), 'newsroom-build-'));
  const remove = (): void => {
    // Unlink the links back into the checkout first, so removing the rest cannot follow them.
    for (const name of ['package.json', 'node_modules', path.join('bench', 'results')]) rmSync(path.join(root, name), { force: true });
    rmSync(root, { recursive: true, force: true });
  };
  try {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs'), '--root', root], { stdio: 'pipe' });
  } catch (error) {
    remove();
    throw error;
  }
  return { entry: (relative) => path.join(root, 'dist', `${relative}.js`), remove };
}

export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A spawned Node process whose JSON log lines (stdout) and stderr are collected. */
export class NodeProcess {
  readonly lines: LogLine[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly watchers = new Set<() => void>();

  constructor(entry: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--enable-source-maps', entry], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      for (const part of parts) {
        try {
          this.lines.push(JSON.parse(part) as LogLine);
        } catch {
          this.lines.push({ level: 'raw', msg: part });
        }
      }
      this.notify();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
      this.notify();
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => this.notify());
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** Resolves with the first log line matching, failing after `timeoutMs` or when the process exits first. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 15_000): Promise<LogLine> {
    return this.until(() => this.lines.find(predicate), timeoutMs, 'a matching log line');
  }

  private until<T>(found: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const value = found();
        if (value !== undefined) return finish(() => resolve(value));
        if (!this.running) finish(() => reject(new Error(`process exited before ${what}; logs: ${this.describe()}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${what}; logs: ${this.describe()}`))), timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.watchers.delete(check);
        settle();
      };
      this.watchers.add(check);
      check();
    });
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }

  private describe(): string {
    return `${this.lines.map((l) => JSON.stringify(l)).join('\n')}\nstderr: ${this.stderr}`;
  }
}
