import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
import { storyStreamId } from '@newsroom/domain';
import { type AppendResult, comparePositions, createPostgresEventStore, type EventStore, type Position } from '@newsroom/event-store';
// Test support crosses the lib boundary on purpose: it owns the throwaway databases and the story writers.
import { eventually, projectFromScratch, readModelRows, waitForCheckpoint } from '../../../../tests/support/read-models';
import { StoryScript, StoryWriter } from '../../../../tests/support/story-log';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import { createDataSource } from '../database/data-source';
import { loadCheckpoint } from '../projections/checkpoint.store';
import { READ_MODELS_ADVANCED_CHANNEL } from '../projections/read-models-advanced';
import { STORY_PROJECTION } from '../projections/story-read-models.projection';
import { type CommittedBatch, Projector, type ProjectorOutcome } from './projector';
import { type ProjectorLogger } from './projector-logger';

jest.setTimeout(30_000);

interface Harness {
  db: TestDatabase;
  dataSource: DataSource;
  store: EventStore;
  appName: string;
  close(): Promise<void>;
}

/** A database of its own, a DataSource tagged so the test can find its connections, and a store. */
async function harness(): Promise<Harness> {
  const db = await createTestDatabase();
  const appName = `projector-int-${randomUUID().slice(0, 8)}`;
  const dataSource = await createDataSource({ url: db.url, poolSize: 3, applicationName: appName }).initialize();
  // A safety poll far longer than any wait here: waking up on new events must come from the notification.
  const store = createPostgresEventStore({ url: db.url, poolSize: 3, subscription: { safetyPollMs: 60_000 } });
  return {
    db,
    dataSource,
    store,
    appName,
    async close() {
      await store.close();
      await dataSource.destroy();
      await db.drop();
    },
  };
}

class RecordingLogger implements ProjectorLogger {
  readonly lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  info = (msg: string, fields: Record<string, unknown> = {}): void => void this.lines.push({ level: 'info', msg, fields });
  warn = (msg: string, fields: Record<string, unknown> = {}): void => void this.lines.push({ level: 'warn', msg, fields });
  error = (msg: string, fields: Record<string, unknown> = {}): void => void this.lines.push({ level: 'error', msg, fields });
}

async function writeStories(store: EventStore, stories: number, commandsEach: number): Promise<AppendResult> {
  let last: AppendResult | null = null;
  for (let s = 0; s < stories; s += 1) {
    const script = new StoryScript();
    const writer = new StoryWriter(store, script.storyId);
    for (let c = 0; c < commandsEach; c += 1) last = await writer.write([script.next()]);
  }
  if (!last) throw new Error('nothing written');
  return last;
}

/** Waits until a backend of `appName` waits on a lock: the projector's batch is blocked where the test wants it. */
const blockedBackend = (dataSource: DataSource, appName: string): Promise<number> =>
  eventually(async () => {
    const [row] = await dataSource.query<{ pid: number }[]>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database() AND wait_event_type = 'Lock'`,
      [appName],
    );
    return row?.pid;
  }, `a ${appName} backend waiting on a lock`);

/**
 * Blocks the projector's next batch until `release()`: a table lock that lets reads through. Not a
 * row lock: locking a row gives the transaction an id, and the gap-safe subscription would hold
 * back every event appended after it, so the projector would never reach the lock.
 */
async function holdCheckpointTable(url: string): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE read_model.projection_checkpoints IN SHARE MODE');
  return {
    async release() {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

describe('a projector started on a log with history', () => {
  let h: Harness;
  let projector: Projector;
  let running: Promise<ProjectorOutcome>;
  const batches: CommittedBatch[] = [];
  const logger = new RecordingLogger();
  let historyHead: AppendResult;

  beforeAll(async () => {
    h = await harness();
    historyHead = await writeStories(h.store, 3, 30);
    projector = new Projector({
      dataSource: h.dataSource,
      store: h.store,
      maxBatchSize: 50,
      // Several fresh subscriptions during the catch-up: none may lose or repeat an event.
      resubscribeEvery: { events: 40 },
      logger,
      onBatch: (b) => batches.push(b),
      retry: { minMs: 20, maxMs: 100 },
    });
    running = projector.run();
  });
  afterAll(async () => {
    await projector.stop();
    await h.close();
  });

  it('catches up in batches no larger than the maximum, full while there is history to read', async () => {
    await waitForCheckpoint(h.dataSource, historyHead.position);
    const total = batches.reduce((n, b) => n + b.events, 0);
    expect(Math.max(...batches.map((b) => b.events))).toBeLessThanOrEqual(50);
    expect(batches.some((b) => b.events === 50)).toBe(true);
    expect(batches.length).toBeLessThan(total / 10);
  });

  it('produces exactly what a projection from scratch produces', async () => {
    await waitForCheckpoint(h.dataSource, historyHead.position);
    await projectFromScratch(h.dataSource, h.store, 'read_model_reference', historyHead.position);
    const live = await readModelRows(h.dataSource, 'read_model');
    expect(live.stories).toHaveLength(3);
    expect(live).toEqual(await readModelRows(h.dataSource, 'read_model_reference'));
  });

  it('wakes on a new event and projects it at once, as a batch of its own', async () => {
    await waitForCheckpoint(h.dataSource, historyHead.position);
    const script = new StoryScript();
    const writer = new StoryWriter(h.store, script.storyId);
    const before = batches.length;
    const started = Date.now();
    const appended = await writer.write([script.next()]);
    await waitForCheckpoint(h.dataSource, (appended as AppendResult).position, 'read_model', 5_000);
    // The store's safety poll is 60 s: only the append notification can explain this.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(batches.slice(before).map((b) => b.events)).toEqual([1]);
    const [story] = await h.dataSource.query<{ revision: number }[]>('SELECT revision FROM read_model.stories WHERE story_id = $1', [script.storyId]);
    expect(story?.revision).toBe(1);
  });

  it('notifies read_models_advanced with the story ids when a batch commits', async () => {
    const listener = new Client({ connectionString: h.db.url });
    await listener.connect();
    try {
      const payloads: string[] = [];
      listener.on('notification', (n) => {
        if (n.channel === READ_MODELS_ADVANCED_CHANNEL) payloads.push(n.payload ?? '');
      });
      await listener.query(`LISTEN ${READ_MODELS_ADVANCED_CHANNEL}`);
      const script = new StoryScript();
      await new StoryWriter(h.store, script.storyId).write([script.next()]);
      await eventually(() => payloads.some((p) => p.split(',').includes(script.storyId)), 'a notification naming the story');
    } finally {
      await listener.end();
    }
  });

  it('rides out a lost connection: logs it, backs off and applies the batch from the checkpoint', async () => {
    const held = await holdCheckpointTable(h.db.url);
    const script = new StoryScript();
    const appended = (await new StoryWriter(h.store, script.storyId).write([script.next()])) as AppendResult;
    const pid = await blockedBackend(h.dataSource, h.appName);
    await h.dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
    await eventually(() => logger.lines.some((l) => l.level === 'warn' && l.msg.startsWith('transient error')), 'the transient error to be logged');
    await held.release();
    await waitForCheckpoint(h.dataSource, appended.position);
    const checkpoint = await loadCheckpoint(h.dataSource, 'read_model', STORY_PROJECTION);
    expect(checkpoint.status).toBe('running');
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('on stop, lets the batch it is applying commit, then ends the run', async () => {
    const held = await holdCheckpointTable(h.db.url);
    const script = new StoryScript();
    const appended = (await new StoryWriter(h.store, script.storyId).write([script.next()])) as AppendResult;
    await blockedBackend(h.dataSource, h.appName);
    const stopped = projector.stop();
    await held.release();
    await expect(stopped).resolves.toEqual({ kind: 'stopped' });
    await expect(running).resolves.toEqual({ kind: 'stopped' });
    const checkpoint = await loadCheckpoint(h.dataSource, 'read_model', STORY_PROJECTION);
    expect(comparePositions(checkpoint.position, appended.position)).toBe(0);
  });
});

describe('a projector resubscribing on a timer', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('follows the log across the fresh subscriptions, missing and repeating nothing', async () => {
    const projector = new Projector({ dataSource: h.dataSource, store: h.store, resubscribeEvery: { ms: 30 } });
    const running = projector.run();
    const script = new StoryScript();
    const writer = new StoryWriter(h.store, script.storyId);
    let last: AppendResult | null = null;
    for (let i = 0; i < 20; i += 1) {
      last = await writer.write([script.next()]);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await waitForCheckpoint(h.dataSource, (last as AppendResult).position);
    await projector.stop();
    await expect(running).resolves.toEqual({ kind: 'stopped' });
    await projectFromScratch(h.dataSource, h.store, 'read_model_reference', (last as AppendResult).position);
    expect(await readModelRows(h.dataSource, 'read_model')).toEqual(await readModelRows(h.dataSource, 'read_model_reference'));
  });
});

describe('a projector meeting an event it cannot handle', () => {
  let h: Harness;
  const logger = new RecordingLogger();
  let bogusId: string;
  let beforeBogus: Position;
  let afterBogus: AppendResult;
  let storyId: string;

  beforeAll(async () => {
    h = await harness();
    const script = new StoryScript();
    storyId = script.storyId;
    const writer = new StoryWriter(h.store, storyId);
    const written = await writer.write([script.next(), script.next(), script.next()]);
    beforeBogus = (written as AppendResult).position;
    bogusId = randomUUID();
    const stream = storyStreamId(storyId);
    const revision = (await h.store.readStream(stream)).length;
    await h.store.appendToStream(stream, [{ eventId: bogusId, type: 'Bogus', data: { nonsense: true }, metadata: { editorId: 'ed-1', recordedAt: new Date().toISOString() } }], {
      expectedRevision: BigInt(revision - 1),
    });
    // A valid event after it, in the same batch: it must not be projected either.
    afterBogus = await writeStories(h.store, 1, 2);
  });
  afterAll(async () => {
    await h.close();
  });

  it('stops with the event named, the checkpoint right before it, and the failure recorded and logged', async () => {
    const projector = new Projector({ dataSource: h.dataSource, store: h.store, logger });
    const outcome = await projector.run();
    expect(outcome).toEqual({ kind: 'failed', eventId: bogusId, error: expect.stringContaining('Bogus') as unknown });

    const checkpoint = await loadCheckpoint(h.dataSource, 'read_model', STORY_PROJECTION);
    expect(checkpoint).toMatchObject({ status: 'failed', failedEventId: bogusId, position: beforeBogus });
    const [story] = await h.dataSource.query<{ revision: number }[]>('SELECT revision FROM read_model.stories WHERE story_id = $1', [storyId]);
    expect(story?.revision).toBeGreaterThan(0);
    const [later] = await h.dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM read_model.stories WHERE story_id <> $1', [storyId]);
    expect(later?.n).toBe('0');
    expect(comparePositions(checkpoint.position, afterBogus.position)).toBe(-1);

    const errors = logger.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.fields).toMatchObject({ eventId: bogusId, eventType: 'Bogus', projection: STORY_PROJECTION });
  });

  it('fails again on the same event when restarted: it never skips it', async () => {
    const outcome = await new Projector({ dataSource: h.dataSource, store: h.store }).run();
    expect(outcome).toMatchObject({ kind: 'failed', eventId: bogusId });
    const checkpoint = await loadCheckpoint(h.dataSource, 'read_model', STORY_PROJECTION);
    expect(checkpoint.position).toEqual(beforeBogus);
  });
});
