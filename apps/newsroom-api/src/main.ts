import 'reflect-metadata';
import cluster from 'node:cluster';
import { loadConfig } from './config/newsroom-config';
import { createApp } from './create-app';
import { JsonLogger } from './shared/observability/json-logger';

const logger = new JsonLogger('newsroom-api');
const log = logger.emit.bind(logger);

/**
 * API_WORKERS > 1: this process only forks that many workers, which share the port (node:cluster
 * hands connections out round-robin), replaces a worker that dies, and passes SIGTERM/SIGINT on.
 * The API keeps no state that must be shared: each worker has its own fold cache and per-story
 * queue, and the event store's expected revision keeps workers writing to one story honest.
 */
function superviseWorkers(count: number): void {
  let stopping = false;
  const listened = new Set<number>();
  for (let i = 0; i < count; i += 1) cluster.fork();
  cluster.on('listening', (worker) => listened.add(worker.id));
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
      return;
    }
    if (!listened.has(worker.id)) {
      // It failed to start (its own log says why): another would too, so stop rather than loop.
      log('fatal', 'newsroom-api worker failed to start', { pid: worker.process.pid, code, signal });
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    log('error', 'newsroom-api worker exited; starting another', { pid: worker.process.pid, code, signal });
    cluster.fork();
  });
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(0);
    for (const worker of workers) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  log('info', 'newsroom-api supervising workers', { workers: count });
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.apiWorkers > 1 && cluster.isPrimary) {
    superviseWorkers(config.apiWorkers);
    return;
  }
  const app = await createApp(config);
  await app.listen(config.port, '0.0.0.0');
  log('info', 'newsroom-api listening', { port: config.port, ...(cluster.isWorker ? { worker: cluster.worker?.id } : {}) });
}

main().catch((error: unknown) => {
  log('fatal', 'newsroom-api failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
