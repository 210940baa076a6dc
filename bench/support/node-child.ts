import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './report';

export interface NodeChild {
  readonly pid: number;
  /** Resolves when the process has exited, with its exit code (null when a signal ended it). */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** The last 20 kB of its stdout and stderr, interleaved, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. Resolves once it has exited. */
  stop(): Promise<void>;
}

export interface NodeChildOptions {
  /** Added to (and overriding) this process's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Each complete line of the child's stdout and stderr, as it arrives. */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Write a V8 CPU profile of the child into this directory when it exits normally. */
  readonly cpuProfileDir?: string;
  /** Node/V8 options before the entry (e.g. the rebuild's young-generation size). */
  readonly nodeFlags?: readonly string[];
}

/**
 * A built entry point (a path under dist/, e.g. `apps/projector/src/main.js`) as a child process
 * of its own, so what it measures does not share the benchmark's event loop.
 */
export function startNodeChild(entry: string, options: NodeChildOptions): NodeChild {
  const root = repoRoot();
  const main = path.join(root, 'dist', entry);
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (the bench:* scripts do).`);
  const execArgv: string[] = [...(options.nodeFlags ?? [])];
  if (options.cpuProfileDir !== undefined) {
    mkdirSync(options.cpuProfileDir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  }
  const child: ChildProcess = spawn(process.execPath, [...execArgv, main], {
    cwd: root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const follow = (stream: 'stdout' | 'stderr') => {
    let partial = '';
    return (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-20_000);
      if (!options.onLine) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onLine(line, stream);
    };
  };
  child.stdout?.on('data', follow('stdout'));
  child.stderr?.on('data', follow('stderr'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  if (child.pid === undefined) throw new Error(`${entry} did not start`);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { pid: child.pid, exited, output: () => tail, stop };
}
