import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from './report';

export interface ApiProcess {
  readonly baseUrl: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

export interface ApiProcessOptions {
  readonly databaseUrl: string;
  /** NEWSROOM_TOKENS. */
  readonly tokens: string;
  /** Write a V8 CPU profile of the server into this directory when it stops. */
  readonly cpuProfileDir?: string;
  /** LOG_LEVEL of the server; production's `info` (one JSON line per request) unless told otherwise. */
  readonly logLevel?: string;
  /** Have the server's processes write their GC pauses to files named from this (gc-pauses-preload), read with `readPauses`. */
  readonly gcPausesFile?: string;
}

/** A free loopback port: main.ts logs the configured port, not the bound one, so PORT=0 will not do. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntilReady(baseUrl: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`newsroom-api exited during start-up (${child.exitCode ?? child.signalCode}):\n${stderr()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/health/ready`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`newsroom-api was not ready within 30 s:\n${stderr()}`);
}

/**
 * The built API (dist/apps/newsroom-api/src/main.js) as a child process, so the load generator
 * does not share its event loop. Its request log goes to /dev/null; stderr is kept for errors.
 */
export async function startApiProcess(options: ApiProcessOptions): Promise<ApiProcess> {
  const root = repoRoot();
  const main = path.join(root, 'dist', 'apps', 'newsroom-api', 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (the bench:* scripts do).`);
  const port = await freePort();
  const execArgv: string[] = [];
  if (options.cpuProfileDir !== undefined) {
    mkdirSync(options.cpuProfileDir, { recursive: true });
    // Nest re-raises SIGTERM after its shutdown hooks, and a process killed by a signal writes no
    // profile: this preload exits normally on SIGTERM instead.
    const exitOnSigterm = path.join(__dirname, 'exit-on-sigterm.js');
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, '--require', exitOnSigterm);
  }
  if (options.gcPausesFile !== undefined) execArgv.push('--require', path.join(__dirname, 'gc-pauses-preload.js'));
  const child = spawn(process.execPath, [...execArgv, main], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      // The benchmarks' log is the PostgreSQL store in that database, whatever the shell says.
      EVENT_STORE: 'postgres',
      PORT: String(port),
      NEWSROOM_TOKENS: options.tokens,
      LOG_LEVEL: options.logLevel ?? 'info',
      ...(options.gcPausesFile === undefined ? {} : { BENCH_GC_FILE: options.gcPausesFile }),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(baseUrl, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  if (child.pid === undefined) throw new Error('newsroom-api has no pid');
  return { baseUrl, pid: child.pid, stop };
}
