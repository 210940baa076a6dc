import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DataSource } from 'typeorm';
import { createPostgresEventStore, type EventStore } from '@newsroom/event-store';
import { createDataSource } from '@newsroom/read-models';
import { createTestDatabase, type TestDatabase } from './test-database';

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

export type ProjectorEntry = 'main' | 'rebuild.main';

/** What a projector-process test file works with; filled in by the file's `beforeAll`. */
export interface ProjectorHarness {
  readonly db: TestDatabase;
  readonly dataSource: DataSource;
  readonly store: EventStore;
  /** Every process `start` spawned, in order. */
  readonly processes: readonly NodeProcess[];
  /** Spawns the built projector (`main`) or rebuild command (`rebuild.main`) on the test database. */
  start(entry: ProjectorEntry): NodeProcess;
}

/**
 * Registers the `beforeAll`/`afterAll` every projector-process test file needs: a private build of
 * the apps, a test database with a DataSource and an event store on it, and, at the end, every
 * process it started SIGKILLed and everything removed.
 */
export function useProjectorHarness(): ProjectorHarness {
  let build: Build | undefined;
  let db: TestDatabase | undefined;
  let dataSource: DataSource | undefined;
  let store: EventStore | undefined;
  const processes: NodeProcess[] = [];
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is only available once beforeAll has run`);
    return value;
  };

  beforeAll(async () => {
    build = buildApps();
    db = await createTestDatabase();
    dataSource = await createDataSource({ url: db.url, poolSize: 3 }).initialize();
    store = createPostgresEventStore({ url: db.url, poolSize: 3 });
  });
  afterAll(async () => {
    for (const p of processes) p.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    await store?.close();
    await dataSource?.destroy();
    await db?.drop();
    build?.remove();
  });

  return {
    get db() {
      return ready(db, 'the test database');
    },
    get dataSource() {
      return ready(dataSource, 'the DataSource');
    },
    get store() {
      return ready(store, 'the event store');
    },
    processes,
    start(entry) {
      const started = new NodeProcess(ready(build, 'the build').entry(`apps/projector/src/${entry}`), { DATABASE_URL: ready(db, 'the test database').url });
      processes.push(started);
      return started;
    },
  };
}

/** The projector's log line when it becomes the leader. */
export const leadsTheProjectors = (line: LogLine): boolean => line.msg.startsWith('holding the projector lock');
/** The projector's log line when another instance leads and it waits as a standby. */
export const standsBy = (line: LogLine): boolean => line.msg.startsWith('another instance holds the lock');
/** The rebuild command's log line when it starts replaying. */
export const rebuilding = (line: LogLine): boolean => line.msg === 'rebuilding the read models';
