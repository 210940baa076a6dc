import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
import { storyStreamId } from '@newsroom/domain';
import { type AppendResult, createPostgresEventStore, type EventStore } from '@newsroom/event-store';
// Test support crosses the lib boundary on purpose: it owns the throwaway databases and the story writers.
import { eventually, projectFromScratch, readModelRows, rowCounts, waitForCheckpoint } from '../../../../tests/support/read-models';
import { StoryScript, StoryWriter } from '../../../../tests/support/story-log';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import { createDataSource } from '../database/data-source';
import { loadCheckpoint } from '../projections/checkpoint.store';
import { ProjectionError, STORY_PROJECTION } from '../projections/story-read-models.projection';
import { REBUILD_LOCK_KEY } from './leader-lock';
import { silentLogger } from './projector-logger';
import { Projector, type ProjectorOutcome } from './projector';
import { RebuildAlreadyRunning, type RebuildProgress, rebuildReadModels } from './rebuild';

jest.setTimeout(60_000);

interface Harness {
  db: TestDatabase;
  dataSource: DataSource;
  store: EventStore;
  /** The live projector's connections, to watch them wait on the swap's lock. */
  liveAppName: string;
  live: Projector;
  running: Promise<ProjectorOutcome>;
  close(): Promise<void>;
}

async function harness(): Promise<Harness> {
  const db = await createTestDatabase();
  const liveAppName = `live-projector-${randomUUID().slice(0, 8)}`;
  // Room for a rebuild on three load connections (plus its lock session and one for the rest).
  const dataSource = await createDataSource({ url: db.url, poolSize: 5 }).initialize();
  const liveDataSource = await createDataSource({ url: db.url, poolSize: 2, applicationName: liveAppName }).initialize();
  const store = createPostgresEventStore({ url: db.url, poolSize: 4 });
  // Small batches, so the live projection and the rebuild (64 per batch) cut the log differently.
  const live = new Projector({ dataSource: liveDataSource, store, maxBatchSize: 7, retry: { minMs: 20, maxMs: 200 } });
  return {
    db,
    dataSource,
    store,
    liveAppName,
    live,
    running: live.run(),
    async close() {
      await live.stop();
      await store.close();
      await liveDataSource.destroy();
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/** Appends `commands` commands to each of `stories` new stories; returns the last append. */
async function writeStories(store: EventStore, stories: number, commands: number): Promise<AppendResult> {
  const writers = Array.from({ length: stories }, () => {
    const script = new StoryScript();
    return { script, writer: new StoryWriter(store, script.storyId) };
  });
  let last: AppendResult | null = null;
  for (let c = 0; c < commands; c += 1) {
    for (const { script, writer } of writers) last = await writer.write([script.next()]);
  }
  if (!last) throw new Error('nothing written');
  return last;
}

/**
 * How the revisions lie in the heap: the pages they fill, and the sum over stories of the pages
 * holding each story's rows. Written in the log's order, where the stories take turns, every page
 * holds rows of several stories and the sum is a multiple of the pages; grouped by story, it is
 * the pages plus a shared page per story and the odd row that lands in an earlier page's spare room.
 */
async function revisionPages(dataSource: DataSource): Promise<{ pages: number; storyPages: number; stories: number }> {
  const [row] = await dataSource.query<{ pages: number; storyPages: number; stories: number }[]>(
    `SELECT count(DISTINCT page)::int AS pages, count(DISTINCT (story_id, page))::int AS "storyPages", count(DISTINCT story_id)::int AS stories
       FROM (SELECT story_id, (ctid::text::point)[0] AS page FROM read_model.story_revisions) r`,
  );
  if (!row) throw new Error('no revisions');
  return row;
}

const schemas = async (dataSource: DataSource): Promise<string[]> =>
  (await dataSource.query<{ name: string }[]>(`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'read_model%' ORDER BY 1`)).map((r) => r.name);

describe('a rebuild while the live projector runs', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await harness();
    const last = await writeStories(h.store, 6, 40);
    await waitForCheckpoint(h.dataSource, last.position);
  });
  afterAll(async () => {
    await h.close();
  });

  it('replays the log into a fresh schema and swaps it in: identical, row for row, to the live projection', async () => {
    const before = await readModelRows(h.dataSource, 'read_model');
    const progress: RebuildProgress[] = [];
    const pageReads = jest.spyOn(h.store, 'readAllForwards' as keyof EventStore);
    const result = await rebuildReadModels({ dataSource: h.dataSource, store: h.store, batchSize: 64, onProgress: (p) => progress.push(p) });
    // The PostgreSQL store's bulk reader, a page per batch (the subscription path is tested below).
    expect(pageReads.mock.calls.length).toBeGreaterThanOrEqual(Math.ceil(result.events / 64));
    pageReads.mockRestore();

    const after = await readModelRows(h.dataSource, 'read_model');
    expect(rowCounts(after)).toMatchObject({ stories: 6, story_revisions: result.events, audit_log: result.events });
    expect(after).toEqual(before);
    expect(await schemas(h.dataSource)).toEqual(['read_model']);

    // Vacuumed and analysed by the rebuild itself (not by autovacuum), with statistics. Not every
    // page need be in the visibility map: a snapshot taken while the load ran (autovacuum's
    // ANALYZE, the live projector) keeps VACUUM from marking the pages it could still see change.
    const tables = await h.dataSource.query<{ name: string; pages: number; visible: number; stats: number; vacuumed: boolean; analysed: boolean }[]>(
      `SELECT c.relname AS name, c.relpages AS pages, c.relallvisible AS visible,
              (SELECT count(*)::int FROM pg_stats s WHERE s.schemaname = 'read_model' AND s.tablename = c.relname) AS stats,
              t.last_vacuum IS NOT NULL AS vacuumed, t.last_analyze IS NOT NULL AS analysed
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_stat_user_tables t ON t.relid = c.oid
        WHERE n.nspname = 'read_model' AND c.relname IN ('story_revisions', 'developments', 'claim_history') ORDER BY 1`,
    );
    expect(tables).toHaveLength(3);
    for (const table of tables) {
      expect(table).toMatchObject({ vacuumed: true, analysed: true });
      expect(table.pages).toBeGreaterThan(0);
      expect(table.visible).toBeLessThanOrEqual(table.pages);
      expect(table.stats).toBeGreaterThan(0);
    }

    // Each COPY's rows grouped by story, though the stories took turns in the log: a story's history reads few pages.
    const layout = await revisionPages(h.dataSource);
    expect(layout.pages).toBeGreaterThan(4 * layout.stories);
    // Measured: 50 story-pages on 42 pages grouped, 141 in the log's order.
    expect(layout.storyPages).toBeLessThan(1.5 * layout.pages);

    expect(progress[0]).toEqual({ phase: 'replay', done: 0, total: result.events });
    expect(progress.at(-1)?.done).toBe(result.events);
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
  });

  it.each([
    ['written only when evicted', undefined],
    ['also written while quiet in between', 1],
  ])('gives the same result with more stories than it keeps in memory: each evicted, read back and %s', async (_, quietAfterEvents) => {
    const before = await readModelRows(h.dataSource, 'read_model');
    // Six stories written in turn, two kept in memory: every story leaves memory and comes back many times.
    const result = await rebuildReadModels({ dataSource: h.dataSource, store: h.store, batchSize: 64, storiesInMemory: 2, quietAfterEvents });
    const after = await readModelRows(h.dataSource, 'read_model');
    expect(rowCounts(after)).toMatchObject({ stories: 6, story_revisions: result.events, audit_log: result.events });
    expect(after).toEqual(before);
  });

  it('gives the same result on one load connection or three as on the default two, and opens that many', async () => {
    const before = await readModelRows(h.dataSource, 'read_model');
    const opened: Record<number, number> = {};
    for (const loadConnections of [1, 3]) {
      const runners = jest.spyOn(h.dataSource, 'createQueryRunner');
      const result = await rebuildReadModels({ dataSource: h.dataSource, store: h.store, batchSize: 64, loadConnections });
      opened[loadConnections] = runners.mock.calls.length;
      runners.mockRestore();
      const after = await readModelRows(h.dataSource, 'read_model');
      expect(rowCounts(after)).toMatchObject({ stories: 6, story_revisions: result.events, audit_log: result.events });
      expect(after).toEqual(before);
    }
    // The same rebuild otherwise: the difference is the load's own connections.
    expect((opened[3] ?? 0) - (opened[1] ?? 0)).toBe(2);
  });

  it('refuses a load on no connections before it touches anything', async () => {
    const before = await schemas(h.dataSource);
    await expect(rebuildReadModels({ dataSource: h.dataSource, store: h.store, loadConnections: 0 })).rejects.toThrow('loadConnections must be a positive integer, got 0');
    expect(await schemas(h.dataSource)).toEqual(before);
  });

  it('gives the same result when quiet stories are written early and again each time they are touched', async () => {
    const before = await readModelRows(h.dataSource, 'read_model');
    const loaded: Record<string, unknown>[] = [];
    const logger = { ...silentLogger, info: (msg: string, fields?: Record<string, unknown>) => (msg === 'log loaded' && fields ? loaded.push(fields) : undefined) };
    // Six stories written in turn: each is quiet for five events between its own, longer than three.
    const result = await rebuildReadModels({ dataSource: h.dataSource, store: h.store, batchSize: 64, quietAfterEvents: 3, logger });
    const after = await readModelRows(h.dataSource, 'read_model');
    expect(rowCounts(after)).toMatchObject({ stories: 6, story_revisions: result.events, audit_log: result.events });
    expect(after).toEqual(before);
    // About once per event, less the last touches that the end writes: stories written again and again.
    expect(loaded).toHaveLength(1);
    expect(loaded[0]?.storiesWrittenWhileQuiet).toBeGreaterThan(result.events / 2);
  });

  it('gives the same result through a subscription, for a store without a bulk reader (as EventStoreDB)', async () => {
    const before = await readModelRows(h.dataSource, 'read_model');
    const pageReads = jest.spyOn(h.store, 'readAllForwards' as keyof EventStore);
    // Every method but readAllForwards, bound to the real store.
    const subscribeOnly: EventStore = {
      appendToStream: (...args) => h.store.appendToStream(...args),
      readStream: (...args) => h.store.readStream(...args),
      subscribeToAll: (...args) => h.store.subscribeToAll(...args),
      headPosition: () => h.store.headPosition(),
      close: () => h.store.close(),
    };
    try {
      const result = await rebuildReadModels({ dataSource: h.dataSource, store: subscribeOnly, batchSize: 64, storiesInMemory: 3 });
      const after = await readModelRows(h.dataSource, 'read_model');
      expect(rowCounts(after)).toMatchObject({ stories: 6, story_revisions: result.events, audit_log: result.events });
      expect(after).toEqual(before);
      expect(pageReads).not.toHaveBeenCalled();
    } finally {
      pageReads.mockRestore();
    }
  });

  it('keeps the live projector going through the swap: its blocked batch carries on against the rebuilt tables', async () => {
    const script = new StoryScript();
    const writer = new StoryWriter(h.store, script.storyId);
    // The swap's lock gives its transaction an id, and subscriptions hold back whatever commits
    // after it. For the live projector to have a batch waiting on that lock, its events must
    // commit before the swap and reach it only after: an older open transaction holds them back
    // from every subscription until the swap has its lock.
    const holdBack = new Client({ connectionString: h.db.url });
    await holdBack.connect();
    await holdBack.query('BEGIN');
    await holdBack.query('SELECT pg_current_xact_id()');
    await writer.write([script.next(), script.next()]);
    let blocked = false;
    try {
      await rebuildReadModels({
        dataSource: h.dataSource,
        store: h.store,
        afterLock: async () => {
          await holdBack.query('COMMIT');
          await eventually(async () => {
            const [row] = await h.dataSource.query<{ n: string }[]>(
              `SELECT count(*)::text AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database() AND wait_event_type = 'Lock'`,
              [h.liveAppName],
            );
            return row?.n === '1';
          }, 'the live projector to wait on the swap lock');
          blocked = true;
        },
      });
    } finally {
      await holdBack.end();
    }
    expect(blocked).toBe(true);

    const last = (await writer.write([script.next(), script.next()])) as AppendResult;
    await waitForCheckpoint(h.dataSource, last.position);
    const checkpoint = await loadCheckpoint(h.dataSource, 'read_model', STORY_PROJECTION);
    expect(checkpoint.status).toBe('running');
    await projectFromScratch(h.dataSource, h.store, 'read_model_reference', checkpoint.position);
    const [live, reference] = [await readModelRows(h.dataSource, 'read_model'), await readModelRows(h.dataSource, 'read_model_reference')];
    expect(live.stories).toHaveLength(7);
    expect(live).toEqual(reference);
    await h.dataSource.query('DROP SCHEMA read_model_reference CASCADE');
  });

  it('first drops what a killed rebuild left behind', async () => {
    await h.dataSource.query('CREATE SCHEMA read_model_rebuild');
    await h.dataSource.query('CREATE TABLE read_model_rebuild.half_built (id int)');
    await h.dataSource.query('CREATE SCHEMA read_model_old_20250101000000000');
    await rebuildReadModels({ dataSource: h.dataSource, store: h.store });
    expect(await schemas(h.dataSource)).toEqual(['read_model']);
  });

  it('refuses to start while another rebuild holds the rebuild lock, touching nothing', async () => {
    const other = new Client({ connectionString: h.db.url });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1::bigint)', [REBUILD_LOCK_KEY.toString()]);
      await expect(rebuildReadModels({ dataSource: h.dataSource, store: h.store })).rejects.toBeInstanceOf(RebuildAlreadyRunning);
      expect(await schemas(h.dataSource)).toEqual(['read_model']);
    } finally {
      await other.end();
    }
  });
});

describe('a rebuild over a log holding an event the projection cannot handle', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await harness();
    const script = new StoryScript();
    await new StoryWriter(h.store, script.storyId).write([script.next(), script.next()]);
    await h.store.appendToStream(storyStreamId(script.storyId), [{ eventId: randomUUID(), type: 'Bogus', data: {}, metadata: { editorId: 'ed-1', recordedAt: new Date().toISOString() } }], {
      expectedRevision: 1n,
    });
    await expect(h.running).resolves.toMatchObject({ kind: 'failed' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('fails, leaving the live read models as they were and no build schema behind', async () => {
    const before = await readModelRows(h.dataSource, 'read_model');
    await expect(rebuildReadModels({ dataSource: h.dataSource, store: h.store })).rejects.toBeInstanceOf(ProjectionError);
    expect(await readModelRows(h.dataSource, 'read_model')).toEqual(before);
    expect(await schemas(h.dataSource)).toEqual(['read_model']);
  });
});
