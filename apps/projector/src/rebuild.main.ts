import 'reflect-metadata';
import { connectEventStore, eventStoreSettingsFromEnv } from '@newsroom/event-store';
import { createDataSource, errorFields, rebuildReadModels } from '@newsroom/read-models';
import { jsonLog } from './json-log';
import { ProgressBar } from './progress-bar';
import { loadConnectionsFrom } from './rebuild-settings';

const log = jsonLog('projector-rebuild');
// Larger than the live projector's batches: each batch rewrites every story it touches once.
const BATCH_SIZE = 5_000;

/**
 * `npm run projections:rebuild` (through scripts/projections-rebuild.mjs): replays the whole log
 * into a fresh schema and swaps it in while the API and the live projector keep running (see
 * rebuildReadModels). Progress on stderr, JSON logs on stdout. Killing it at any moment is safe:
 * the live schema changes only in the swap's one transaction, and the next run cleans up.
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const loadConnections = loadConnectionsFrom(process.env);
  // The load's connections, the rebuild lock's session and one for everything else.
  const dataSource = await createDataSource({ url, poolSize: loadConnections + 2, applicationName: 'newsroom-rebuild' }).initialize();
  // The log is wherever EVENT_STORE says (PostgreSQL by default, or EventStoreDB); the read models are in DATABASE_URL.
  const store = await connectEventStore(eventStoreSettingsFromEnv(process.env), {
    poolSize: 2,
    applicationName: 'newsroom-rebuild',
    subscriptionBatchSize: BATCH_SIZE,
    logger: { warn: (msg, error) => log.warn(msg, error === undefined ? {} : errorFields(error)) },
  });
  const bar = new ProgressBar(process.stderr);
  try {
    log.info('rebuilding the read models');
    const result = await rebuildReadModels({ dataSource, store, batchSize: BATCH_SIZE, loadConnections, logger: log, onProgress: (progress) => bar.update(progress) });
    bar.finish(result);
    log.info('rebuilt', { events: result.events, eventsInSwap: result.eventsInSwap, ms: result.ms });
  } finally {
    await store.close();
    await dataSource.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log.fatal('rebuild failed; the live read models are untouched', errorFields(error));
    process.exit(1);
  },
);
