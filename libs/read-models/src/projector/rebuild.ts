import { type DataSource, type QueryRunner } from 'typeorm';
import { comparePositions, type EventStore, type Position, type RecordedEvent, START_POSITION } from '@newsroom/event-store';
import { assertSchemaName, READ_MODEL_SCHEMA, readModelIndexDdl, readModelTableDdl } from '../schema/read-model.ddl';
import { applyBatch, applyBatchInTransaction } from '../projections/apply-batch';
import { loadCheckpoint, saveCheckpoint } from '../projections/checkpoint.store';
import { countEventsThrough } from '../projections/event-log.queries';
import { READ_MODELS_ADVANCED_CHANNEL } from '../projections/read-models-advanced';
import { STORY_PROJECTION } from '../projections/story-read-models.projection';
import { BulkStoryLoader, type PipelinedConnection } from './bulk-story-loader';
import { REBUILD_LOCK_KEY } from './leader-lock';
import { type ProjectorLogger, silentLogger } from './projector-logger';

export interface RebuildOptions {
  /** Needs `loadConnections` + 2 connections: the rebuild lock's session, the bulk load's, one for the rest. */
  readonly dataSource: DataSource;
  readonly store: EventStore;
  /** Events per transaction while replaying. */
  readonly batchSize?: number;
  /** The schema readers use, swapped out at the end. */
  readonly liveSchema?: string;
  /** Where the new tables are built; dropped first if a previous rebuild left it behind. */
  readonly buildSchema?: string;
  readonly now?: () => Date;
  readonly logger?: ProjectorLogger;
  readonly onProgress?: (progress: RebuildProgress) => void;
  /**
   * Test seam: runs inside the swap transaction right after the live checkpoint table is locked,
   * before the last events are caught up (a test appends there and watches the live projector wait).
   */
  readonly afterLock?: () => Promise<void>;
  /** Stories the bulk load keeps in memory (see BulkStoryLoader); a test makes it small to exercise eviction. */
  readonly storiesInMemory?: number;
  /** Events after which the bulk load writes an untouched story's rows (see BulkStoryLoader); a test makes it small. */
  readonly quietAfterEvents?: number;
  /**
   * Connections the bulk load writes on, each story's rows always on the same one, and the index
   * builds and VACUUM share out (default 2: one PostgreSQL backend per core of a 2-core server).
   */
  readonly loadConnections?: number;
}

/** The bulk load's connections when `loadConnections` is not given. */
export const DEFAULT_LOAD_CONNECTIONS = 2;

export interface RebuildProgress {
  /** `replay`: the log as it stood at the start; `catch-up`: what came since; `swap`: the last events, under the lock. */
  readonly phase: 'replay' | 'catch-up' | 'swap';
  /** Events replayed so far, all phases together. */
  readonly done: number;
  /** Events in the log when the rebuild started: `done` passes it when events keep coming. */
  readonly total: number;
}

export interface RebuildResult {
  /** Every event replayed into the new schema. */
  readonly events: number;
  /** Of those, the ones caught up inside the swap transaction. */
  readonly eventsInSwap: number;
  readonly checkpoint: Position;
  /** The name the old schema had between the swap and its drop. */
  readonly retiredSchema: string;
  readonly ms: number;
}

export class RebuildAlreadyRunning extends Error {
  constructor() {
    super('Another rebuild holds the rebuild lock; run one at a time.');
    this.name = 'RebuildAlreadyRunning';
  }
}

/**
 * Rebuilds the read models from the whole log into a fresh schema while readers keep using the
 * live one, then swaps the two in one transaction.
 *
 * 1. Build: create the tables in `buildSchema` with the migration's DDL, without the secondary
 *    indexes and the append-only tables' keys, and bulk-load the log up to the head seen at the
 *    start with BulkStoryLoader (the live projection's fold and statements, the stories' state
 *    in memory, a bounded number of them: memory stays flat). Then create the keys and indexes,
 *    write the checkpoint, and catch up to the head reached by then with the live projector's own
 *    `applyBatch`, so that little is left for the swap; `VACUUM (ANALYZE)` the new tables, so
 *    that the first reads after the swap find statistics and a visibility map.
 * 2. Swap, in ONE transaction: `LOCK TABLE <live>.projection_checkpoints IN ACCESS EXCLUSIVE
 *    MODE`, which waits for the live projector's running batch to commit and blocks its next
 *    one (every batch starts by locking its checkpoint row). Then catch up to the head as it
 *    stands now, in the same transaction: that head covers every event the live projector ever
 *    committed or holds in a batch (it only reads below the same "oldest running transaction"
 *    horizon, which only moves forward), so the new checkpoint is at or past the live one.
 *    Nothing committed after the lock can be missed either: an ACCESS EXCLUSIVE lock is
 *    WAL-logged, which gives the swap a transaction id, and every subscription holds back what
 *    commits after it until the swap ends; those events, like any held back behind an older
 *    transaction, lie past both checkpoints and reach the live projector afterwards. Then rename
 *    live -> `<live>_old_<timestamp>` and build -> live, NOTIFY readers (empty payload: anything
 *    may have changed), commit.
 * 3. The live projector's blocked statement resolves `read_model.projection_checkpoints` again
 *    once the lock is released, now to the rebuilt table, and skips what the rebuild already
 *    covered; had it failed instead, it reloads its checkpoint from the new schema and resumes.
 * 4. The old schema is dropped right after the commit, outside the swap, so the lock is held
 *    only for the catch-up and two renames. A process killed between commit and drop leaves it
 *    behind; the next rebuild drops leftovers (and a leftover build schema) before it starts.
 *
 * A projection failure aborts the rebuild (the live schema is untouched) and drops the build schema.
 */
export async function rebuildReadModels(options: RebuildOptions): Promise<RebuildResult> {
  const started = Date.now();
  const { dataSource, store } = options;
  const live = assertSchemaName(options.liveSchema ?? READ_MODEL_SCHEMA);
  const build = assertSchemaName(options.buildSchema ?? `${live}_rebuild`);
  const batchSize = options.batchSize ?? 1_000;
  const logger = options.logger ?? silentLogger;
  const loadConnections = options.loadConnections ?? DEFAULT_LOAD_CONNECTIONS;
  if (!Number.isInteger(loadConnections) || loadConnections < 1) throw new RangeError(`loadConnections must be a positive integer, got ${loadConnections}`);

  const lockSession = dataSource.createQueryRunner();
  await lockSession.connect();
  try {
    const [lock] = (await lockSession.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [REBUILD_LOCK_KEY.toString()])) as { locked: boolean }[];
    if (lock?.locked !== true) throw new RebuildAlreadyRunning();

    await dropLeftovers(dataSource, live, build, logger);
    await dataSource.transaction(async (tx) => {
      for (const statement of readModelTableDdl(build)) await tx.query(statement);
    });

    try {
      const head = await store.headPosition();
      const total = head ? await countEventsThrough(dataSource, head) : 0;
      let done = 0;
      const progress = (phase: RebuildProgress['phase']) => (events: number) => {
        done += events;
        options.onProgress?.({ phase, done, total });
      };
      options.onProgress?.({ phase: 'replay', done, total });
      const applyToBuild = (batch: readonly RecordedEvent[]): Promise<number> => applyBatch(dataSource, build, batch, { notify: false, durable: false });

      await bulkLoad(dataSource, store, build, head, batchSize, { ...options, loadConnections }, progress('replay'), logger);
      logger.info('bulk load done; indexes built', { events: done });
      const rebuilt = await loadCheckpoint(dataSource, build, STORY_PROJECTION);
      let phaseStarted = Date.now();
      const caughtUp = await replay(store, {
        from: rebuilt.position,
        until: await store.headPosition(),
        batchSize,
        apply: applyToBuild,
        onBatch: progress('catch-up'),
      });
      logger.info('caught up', { events: caughtUp, ms: Date.now() - phaseStarted });
      phaseStarted = Date.now();
      // A visibility map and statistics for the first reads after the swap, as many tables at a time as the load had connections.
      // Without index cleanup: there is nothing to clean in freshly built indexes, and the GIN
      // ones would each be scanned whole for it.
      await shareOut(
        (await tablesOf(dataSource, build)).map((table) => `VACUUM (ANALYZE, INDEX_CLEANUP OFF) ${table}`),
        loadConnections,
        (statement) => dataSource.query(statement),
      );
      logger.info('new tables vacuumed and analysed', { ms: Date.now() - phaseStarted });

      const retired = assertSchemaName(`${live}_old_${timestamp(options.now?.() ?? new Date())}`);
      let eventsInSwap = 0;
      const checkpoint = await dataSource.transaction(async (tx) => {
        await tx.query(`LOCK TABLE ${live}.projection_checkpoints IN ACCESS EXCLUSIVE MODE`);
        await options.afterLock?.();
        const swapHead = await store.headPosition();
        const from = (await loadCheckpoint(tx, build, STORY_PROJECTION)).position;
        eventsInSwap = await replay(store, {
          from,
          until: swapHead,
          batchSize,
          apply: (batch) => applyBatchInTransaction(tx, build, batch, { notify: false }),
          onBatch: progress('swap'),
        });
        const caughtUp = (await loadCheckpoint(tx, build, STORY_PROJECTION)).position;
        await tx.query(`ALTER SCHEMA ${live} RENAME TO ${retired}`);
        await tx.query(`ALTER SCHEMA ${build} RENAME TO ${live}`);
        await tx.query('SELECT pg_notify($1, $2)', [READ_MODELS_ADVANCED_CHANNEL, '']);
        return caughtUp;
      });
      logger.info('read models swapped', { live, retired, events: done, eventsInSwap });
      await dataSource.query(`DROP SCHEMA IF EXISTS ${retired} CASCADE`);
      return { events: done, eventsInSwap, checkpoint, retiredSchema: retired, ms: Date.now() - started };
    } catch (error) {
      await dataSource.query(`DROP SCHEMA IF EXISTS ${build} CASCADE`).catch(() => undefined);
      throw error;
    }
  } finally {
    // Ending the session would release the lock too; unlocking keeps a pooled connection clean.
    await lockSession.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await lockSession.release();
  }
}

/**
 * How many events one subscription delivers before the replay closes it and subscribes again
 * from where it got to. The PostgreSQL subscription currently keeps every page it has read
 * reachable until it is closed (each read races a promise that only settles on close), so a
 * single subscription over the whole log would hold the whole log in memory. Bounded spans keep
 * the rebuild's memory flat whatever the store does.
 */
const EVENTS_PER_SUBSCRIPTION = 10_000;

/** What a replay delivers, and where: the events after `from` up to and including `until`. */
interface ReplayRange {
  readonly from: Position;
  readonly until: Position | null;
  readonly batchSize: number;
  readonly apply: (batch: readonly RecordedEvent[]) => Promise<unknown>;
  readonly onBatch: (events: number) => void;
}

/**
 * Streams the events after `from` up to and including `until` into `apply`, `batchSize` at a
 * time, and returns how many it delivered: page by page through the store's bulk reader when it
 * has one, else through a subscription.
 */
function replay(store: EventStore, range: ReplayRange): Promise<number> {
  const readPage = store.readAllForwards?.bind(store);
  return readPage ? replayPages(readPage, range) : replaySubscribed(store, range);
}

/**
 * Reads one page ahead: while a batch is folded and written, the next is already being read and
 * parsed, so the replay never waits for the log once the first page is in. Holds two pages at most.
 */
async function replayPages(readPage: NonNullable<EventStore['readAllForwards']>, { from, until, batchSize, apply, onBatch }: ReplayRange): Promise<number> {
  if (!until || comparePositions(from, until) >= 0) return 0;
  const read = (after: Position): Promise<readonly RecordedEvent[]> => {
    const page = readPage({ after, through: until, maxCount: batchSize });
    // Awaited below; a batch failing first must not leave it as an unhandled rejection.
    page.catch(() => undefined);
    return page;
  };
  let delivered = 0;
  let upcoming: Promise<readonly RecordedEvent[]> | null = read(from);
  while (upcoming) {
    const page: readonly RecordedEvent[] = await upcoming;
    const last = page.at(-1);
    if (!last) throw new Error(`The log ended before reaching position ${until.commit}/${until.prepare}`);
    upcoming = comparePositions(last.position, until) < 0 ? read(last.position) : null;
    await apply(page);
    delivered += page.length;
    onBatch(page.length);
  }
  return delivered;
}

/** The same through `subscribeToAll`, for stores without a bulk reader (EventStoreDB). */
async function replaySubscribed(store: EventStore, { from, until, batchSize, apply, onBatch }: ReplayRange): Promise<number> {
  let delivered = 0;
  let position = from;
  while (until && comparePositions(position, until) < 0) {
    const subscription = store.subscribeToAll({ fromPosition: position });
    const events = subscription[Symbol.asyncIterator]();
    let batch: RecordedEvent[] = [];
    let span = 0;
    let reached = false;
    try {
      let upcoming = events.next();
      for (;;) {
        const next = await upcoming;
        if (next.done) break;
        const event = next.value;
        batch.push(event);
        reached = comparePositions(event.position, until) >= 0;
        const last = reached || span + batch.length >= EVENTS_PER_SUBSCRIPTION;
        if (last) {
          upcoming = Promise.resolve({ done: true, value: undefined });
        } else {
          // Asked for before this batch is applied: when the subscription has to read its next
          // page, PostgreSQL reads it while the batch is folded and written.
          upcoming = events.next();
          upcoming.catch(() => undefined);
        }
        if (batch.length >= batchSize || last) {
          await apply(batch);
          delivered += batch.length;
          span += batch.length;
          position = event.position;
          onBatch(batch.length);
          batch = [];
        }
        if (last) break;
      }
    } finally {
      await subscription.close();
    }
    if (!reached && span < EVENTS_PER_SUBSCRIPTION) {
      throw new Error(`The subscription ended before reaching position ${until.commit}/${until.prepare}`);
    }
  }
  return delivered;
}

/**
 * The first replay, from the start of the log up to `until`, into the freshly created tables of
 * `schema` (readModelTableDdl), through BulkStoryLoader on connections of its own (`loadConnections`). Then the
 * keys and indexes (one at a time per connection) and the checkpoint, as `applyBatch` would
 * have left it after the same batches. Nothing reads `schema` meanwhile, and a failure drops it,
 * so the statements commit one by one and need not reach the disk before the swap.
 */
async function bulkLoad(
  dataSource: DataSource,
  store: EventStore,
  schema: string,
  until: Position | null,
  batchSize: number,
  { storiesInMemory, quietAfterEvents, loadConnections }: Pick<RebuildOptions, 'storiesInMemory' | 'quietAfterEvents'> & { readonly loadConnections: number },
  onBatch: (events: number) => void,
  logger: ProjectorLogger,
): Promise<void> {
  let phaseStarted = Date.now();
  const runners: QueryRunner[] = Array.from({ length: loadConnections }, () => dataSource.createQueryRunner());
  const connections = (await Promise.all(runners.map((r) => r.connect()))) as PipelinedConnection[];
  let loader: BulkStoryLoader | null = null;
  try {
    for (const connection of connections) {
      await connection.query('SET synchronous_commit = off');
      await connection.query(`SET maintenance_work_mem = '256MB'`);
    }
    const bulk = new BulkStoryLoader({
      schema,
      connections,
      ...(storiesInMemory === undefined ? {} : { maxStories: storiesInMemory }),
      ...(quietAfterEvents === undefined ? {} : { quietAfterEvents }),
    });
    loader = bulk;
    let events = 0;
    let position: Position | null = null;
    let lastRecordedAt: string | null = null;
    await replay(store, {
      from: START_POSITION,
      until,
      batchSize,
      apply: async (batch) => {
        await bulk.add(batch);
        const last = batch.at(-1);
        if (!last) return;
        events += batch.length;
        position = last.position;
        // As applyBatch records it: the batch's last event's time, when it has one.
        if (typeof last.metadata.recordedAt === 'string') lastRecordedAt = last.metadata.recordedAt;
      },
      onBatch,
    });
    await bulk.finish();
    logger.info('log loaded', { events, ms: Date.now() - phaseStarted, storiesWrittenWhileQuiet: bulk.storiesWrittenWhileQuiet });

    phaseStarted = Date.now();
    const run = (statement: string, lane: number): Promise<unknown> => (connections[lane] as PipelinedConnection).query(statement);
    await shareOut(readModelIndexDdl(schema), connections.length, run);
    logger.info('keys and indexes built', { ms: Date.now() - phaseStarted });
    if (position) {
      const covered: Position = position;
      await dataSource.transaction(async (tx) => {
        await loadCheckpoint(tx, schema, STORY_PROJECTION, { forUpdate: true });
        await saveCheckpoint(tx, schema, STORY_PROJECTION, covered, events, lastRecordedAt);
      });
    }
  } finally {
    // Whatever was sent must have finished before the connections go back to the pool, with
    // their settings reset (the swap's transaction must wait for its commit to reach the disk).
    await loader?.settle();
    for (const [i, runner] of runners.entries()) {
      await connections[i]?.query('RESET ALL').catch(() => undefined);
      await runner.release();
    }
  }
}

/** The tables of `schema`, largest first (so that the connections sharing them out finish together). */
async function tablesOf(dataSource: DataSource, schema: string): Promise<string[]> {
  const rows = await dataSource.query<{ name: string }[]>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC, 1`,
    [schema],
  );
  return rows.map(({ name }) => `${schema}.${assertSchemaName(name)}`);
}

/** Runs `statements` `lanes` at a time, in order, each lane taking the next one as it finishes (also bench:rebuild's floor). */
export async function shareOut(statements: readonly string[], lanes: number, run: (statement: string, lane: number) => Promise<unknown>): Promise<void> {
  const queue = [...statements];
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let statement = queue.shift(); statement !== undefined; statement = queue.shift()) await run(statement, lane);
    }),
  );
}

/** Drops a build schema and retired schemas that a killed rebuild left behind. */
async function dropLeftovers(dataSource: DataSource, live: string, build: string, logger: ProjectorLogger): Promise<void> {
  const retiredName = new RegExp(`^${live}_old_\\d+$`);
  const rows = await dataSource.query<{ name: string }[]>(`SELECT nspname AS name FROM pg_namespace WHERE nspname = $1 OR starts_with(nspname, $2)`, [
    build,
    `${live}_old_`,
  ]);
  for (const { name } of rows) {
    if (name !== build && !retiredName.test(name)) continue;
    logger.info('dropping a schema a previous rebuild left behind', { schema: name });
    await dataSource.query(`DROP SCHEMA ${assertSchemaName(name)} CASCADE`);
  }
}

/** 20251125T120102.345Z -> 20251125120102345: sortable, and a valid part of an identifier. */
const timestamp = (at: Date): string => at.toISOString().replace(/\D/g, '');
