import 'reflect-metadata';
import { connectEventStore, eventStoreSettingsFromEnv } from '@newsroom/event-store';
import { createDataSource, errorFields, LeaderLock, PROJECTOR_LOCK_KEY, Projector } from '@newsroom/read-models';
import { jsonLog } from './json-log';

const log = jsonLog('projector');

/** Exit code when the lock connection drops under a leader: it must stop at once, and say so. */
const LOST_LEADERSHIP = 3;

/**
 * The projector process: waits for the projector lock (a hot standby while another process holds
 * it), then projects the log into the read models until SIGTERM/SIGINT. Exit codes: 0 after a
 * signal, 1 on an unexpected error, 3 when the lock connection dropped (another instance may be
 * leading by now). A projection failure keeps the process alive, holding the lock and doing
 * nothing, so /health/ready reports it; a restart retries the failed event.
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const shutdown = new AbortController();
  let projector: Projector | null = null;
  const stop = (signal: NodeJS.Signals): void => {
    // Ctrl-C under npm start: the terminal's SIGINT, then the launcher's SIGTERM.
    if (shutdown.signal.aborted) return;
    log.info('stopping: finishing the current batch', { signal });
    shutdown.abort();
    void projector?.stop();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  const lock = new LeaderLock({ url, key: PROJECTOR_LOCK_KEY, applicationName: 'newsroom-projector-lock', logger: log });
  if (!(await lock.acquire(shutdown.signal))) {
    log.info('stopped while standing by');
    return;
  }
  lock.onLost(() => {
    if (shutdown.signal.aborted) {
      // Stopping already: a terminal's Ctrl-C reaches PostgreSQL too when it runs in the same
      // process group (npm start's embedded server), and it may close connections first. The
      // batch in flight committed with its checkpoint or not at all, so nothing is lost.
      log.info('stopped: the projector lock went away while stopping');
      process.exit(0);
    }
    log.fatal('lost the projector lock: stopping at once (another instance may take over)');
    process.exit(LOST_LEADERSHIP);
  });
  log.info('holding the projector lock: projecting', { pid: process.pid });

  const dataSource = await createDataSource({ url, poolSize: 2, applicationName: 'newsroom-projector' }).initialize();
  // The log is wherever EVENT_STORE says (PostgreSQL by default, or EventStoreDB); the read models are in DATABASE_URL.
  const store = await connectEventStore(eventStoreSettingsFromEnv(process.env), {
    poolSize: 2,
    applicationName: 'newsroom-projector',
    logger: { warn: (msg, error) => log.warn(msg, error === undefined ? {} : errorFields(error)) },
  });
  try {
    projector = new Projector({ dataSource, store, logger: log });
    if (shutdown.signal.aborted) return;
    const outcome = await projector.run();
    if (outcome.kind === 'failed') {
      log.error('projection stopped; staying up so health reports it. Fix the cause and restart to retry', {
        eventId: outcome.eventId,
        error: outcome.error,
      });
      await new Promise((resolve) => shutdown.signal.addEventListener('abort', resolve, { once: true }));
    }
  } finally {
    await store.close();
    await dataSource.destroy();
    await lock.release();
  }
  log.info('stopped');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log.fatal('projector failed', errorFields(error));
    process.exit(1);
  },
);
