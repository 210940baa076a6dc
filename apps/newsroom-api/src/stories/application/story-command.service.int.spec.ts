import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { ClaimNotFound, type LogDevelopment, storyStreamId, verifyChain } from '@newsroom/domain';
import { type AppendOptions, type AppendResult, connectEventStore, type EventStore, type EventToAppend, type ReadStreamOptions } from '@newsroom/event-store';
import { createTestDatabase, type TestDatabase } from '../../../../../tests/support/test-database';
import { PreconditionFailed } from '../../shared/http/edge-errors';
import { Metrics } from '../../shared/observability/metrics';
import { type IfMatch } from './if-match';
import { type CommandContext, type CommandOutcome, StoryCommandService } from './story-command.service';
import { StoryFoldSnapshots } from './story-fold-snapshots';
import { StoryStateCache } from './story-state.cache';

/**
 * The real store, with every append recorded and, while `hold()` is in force, kept waiting before
 * it starts (or, with `afterWriting`, after it has written but before it answers).
 */
class HeldStore {
  readonly appends: { streamId: string; events: number }[] = [];
  /** Where each readStream started. */
  readonly reads: { streamId: string; fromRevision: ReadStreamOptions['fromRevision'] }[] = [];
  private gate: Promise<void> | null = null;
  private afterWriting = false;
  private entered: (() => void) | null = null;

  readonly store: EventStore;

  constructor(readonly inner: EventStore) {
    this.store = new Proxy(inner, {
      get: (target, property, receiver) => {
        if (property === 'readStream') {
          return (streamId: string, options?: ReadStreamOptions) => {
            this.reads.push({ streamId, fromRevision: options?.fromRevision });
            return inner.readStream(streamId, options);
          };
        }
        if (property !== 'appendToStream') return Reflect.get(target, property, receiver) as unknown;
        return (streamId: string, events: readonly EventToAppend[], options?: AppendOptions) => this.append(streamId, events, options);
      },
    });
  }

  /** Appends wait until the returned release is called; `entered` resolves when the first one is held. */
  hold(options: { afterWriting?: boolean } = {}): { entered: Promise<void>; release: () => void } {
    let release!: () => void;
    this.afterWriting = options.afterWriting ?? false;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    const entered = new Promise<void>((resolve) => (this.entered = resolve));
    return {
      entered,
      release: () => {
        this.gate = null;
        release();
      },
    };
  }

  private async append(streamId: string, events: readonly EventToAppend[], options?: AppendOptions): Promise<AppendResult> {
    this.appends.push({ streamId, events: events.length });
    const gate = this.gate;
    if (gate === null) return this.inner.appendToStream(streamId, events, options);
    if (this.afterWriting) {
      const result = await this.inner.appendToStream(streamId, events, options);
      this.entered?.();
      await gate;
      return result;
    }
    this.entered?.();
    await gate;
    return this.inner.appendToStream(streamId, events, options);
  }
}

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
const quiet = { warn: () => undefined };
/** A pg pool as the snapshots' database: like TypeORM's DataSource, its query answers the rows. */
const rowsOf = (pool: Pool) => ({ query: async (sql: string, parameters?: unknown[]) => (await pool.query(sql, parameters)).rows as unknown[] });
const ids = { next: () => randomUUID() };

function context(ifMatch: IfMatch, editorId = 'ed-test'): CommandContext {
  return { principal: { editorId, role: 'editor' }, correlationId: randomUUID(), ifMatch };
}

const textOf = (data: Record<string, unknown>): string => (typeof data.text === 'string' ? data.text : '');

const any: IfMatch = { kind: 'any' };
const exact = (revision: number): IfMatch => ({ kind: 'revision', revision });

function development(text: string, extra: Partial<LogDevelopment['data']> = {}): LogDevelopment {
  return { type: 'LogDevelopment', data: { developmentId: randomUUID(), kind: 'update', text, attribution: { anonymous: false }, ...extra } };
}

/** A migrated database of its own for a describe block, with the event store and a pool on it. */
function databaseForBlock(applicationName: string): { readonly db: TestDatabase; readonly inner: EventStore; readonly pool: Pool } {
  const held = {} as { db: TestDatabase; inner: EventStore; pool: Pool };
  beforeAll(async () => {
    held.db = await createTestDatabase();
    held.inner = await connectEventStore({ kind: 'postgres', url: held.db.url }, { applicationName });
    held.pool = new Pool({ connectionString: held.db.url, max: 2 });
  });
  afterAll(async () => {
    await held.pool.end();
    await held.inner.close();
    await held.db.drop();
  });
  return held;
}

describe('StoryCommandService: commands to one story that queue up are appended together', () => {
  const setup = databaseForBlock('story-command-service-test');

  function service(held: HeldStore): StoryCommandService {
    return new StoryCommandService(held.store, clock, ids, new StoryStateCache(), new Metrics(), new StoryFoldSnapshots(rowsOf(setup.pool), quiet));
  }

  async function open(commands: StoryCommandService): Promise<string> {
    const storyId = randomUUID();
    await commands.execute(storyId, { type: 'OpenStory', data: { storyId, headline: 'Batched writes', desk: 'world' } }, context({ kind: 'absent' }));
    return storyId;
  }

  it('decides each on the state the ones before it left, answers each with its own revision or error, and appends once', async () => {
    const held = new HeldStore(setup.inner);
    const commands = service(held);
    const storyId = await open(commands);
    const claimId = randomUUID();

    const { entered, release } = held.hold();
    // The first command finds the story idle and starts its append, which is held...
    const first = commands.execute(storyId, development('first'), context(any));
    await entered;
    // ...so these queue behind it, and are decided together when it has been written.
    const queued = [
      commands.execute(storyId, development('reports a claim', { claims: [{ claimId, text: 'a claim' }] }), context(any)),
      // Confirms the claim reported just before it, in the same batch.
      commands.execute(storyId, development('confirms it', { confirms: [claimId] }), context(any)),
      // Breaks a rule: a claim nobody reported.
      commands.execute(storyId, development('confirms nothing', { confirms: [randomUUID()] }), context(any)),
      // Names the revision the story had before this batch: the commands before it moved it on.
      commands.execute(storyId, development('stale', {}), context(exact(2))),
      // Names the revision the commands before it leave: accepted.
      commands.execute(storyId, development('exactly on time'), context(exact(5))),
    ];
    release();
    const settled = await Promise.allSettled([first, ...queued]);

    const revisions = settled.map((s) => (s.status === 'fulfilled' ? s.value.revision : (s.reason as unknown)));
    expect(revisions[0]).toBe(2);
    expect(revisions[1]).toBe(4); // DevelopmentLogged + ClaimReported
    expect(revisions[2]).toBe(6); // DevelopmentLogged + ClaimConfirmed
    expect(revisions[3]).toBeInstanceOf(ClaimNotFound);
    expect(revisions[4]).toBeInstanceOf(PreconditionFailed);
    expect((revisions[4] as PreconditionFailed).extensions.currentRevision).toBe(6);
    expect(revisions[5]).toBeInstanceOf(PreconditionFailed);

    const events = await setup.inner.readStream(storyStreamId(storyId));
    expect(events.map((e) => `${e.type}:${textOf(e.data)}`)).toEqual([
      'StoryOpened:',
      'DevelopmentLogged:first',
      'DevelopmentLogged:reports a claim',
      'ClaimReported:a claim',
      'DevelopmentLogged:confirms it',
      'ClaimConfirmed:',
    ]);
    // Open, the first command, then one append for the two accepted commands behind it.
    expect(held.appends.map((a) => a.events)).toEqual([1, 1, 4]);
    expect(verifyChain(storyStreamId(storyId), events)).toMatchObject({ valid: true, revision: 5n });
    // Each caller's events are its own, and name its own command as their cause.
    const outcomes = settled.flatMap((s): CommandOutcome[] => (s.status === 'fulfilled' ? [s.value] : []));
    expect(outcomes.map((o) => o.events.map((e) => e.type))).toEqual([['DevelopmentLogged'], ['DevelopmentLogged', 'ClaimReported'], ['DevelopmentLogged', 'ClaimConfirmed']]);
    expect(new Set(outcomes.map((o) => o.events[0]?.metadata.causationId)).size).toBe(3);
  });

  it('accepts an exact If-Match that comes right after the accepted commands of its batch', async () => {
    const held = new HeldStore(setup.inner);
    const commands = service(held);
    const storyId = await open(commands);
    const { entered, release } = held.hold();
    const first = commands.execute(storyId, development('first'), context(any));
    await entered;
    const second = commands.execute(storyId, development('second'), context(any));
    const third = commands.execute(storyId, development('third'), context(exact(3)));
    const fourth = commands.execute(storyId, development('fourth'), context(exact(3)));
    release();
    const settled = await Promise.allSettled([first, second, third, fourth]);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value.revision : 'refused'))).toEqual([2, 3, 4, 'refused']);
    expect(held.appends.map((a) => a.events)).toEqual([1, 1, 2]);
  });

  it('decides the whole batch again on the log when its cached fold was stale, and loses nothing', async () => {
    const heldA = new HeldStore(setup.inner);
    const a = service(heldA);
    const b = service(new HeldStore(setup.inner));
    const storyId = await open(a);

    // A's first write is in the log but not yet answered: A2 and A3 queue behind it...
    const { entered, release } = heldA.hold({ afterWriting: true });
    const first = a.execute(storyId, development('A1'), context(any));
    await entered;
    const rest = [a.execute(storyId, development('A2'), context(any)), a.execute(storyId, development('A3'), context(exact(3)))];
    // ...and another process moves the story on meanwhile, so A's cache will be stale for them.
    await b.execute(storyId, development('from B'), context(any));
    release();
    const settled = await Promise.allSettled([first, ...rest]);
    // A3 named revision 3, which A2 would have left on A's stale fold; on the log it is behind.
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value.revision : (s.reason as unknown)))).toEqual([2, 4, expect.any(PreconditionFailed)]);
    expect((settled[2] as PromiseRejectedResult).reason).toMatchObject({ extensions: { currentRevision: 4 } });
    const events = await setup.inner.readStream(storyStreamId(storyId));
    expect(events.map((e) => textOf(e.data))).toEqual(['', 'A1', 'from B', 'A2']);
    expect(verifyChain(storyStreamId(storyId), events)).toMatchObject({ valid: true, revision: 3n });
    // The stale batch (A2 + A3) was tried once, refused by the log, and A2 appended alone after a read.
    expect(heldA.appends.map((x) => x.events)).toEqual([1, 1, 2, 1]);
  });

  it('answers 404 to every queued command for a story that does not exist', async () => {
    const commands = service(new HeldStore(setup.inner));
    const storyId = randomUUID();
    const settled = await Promise.allSettled([1, 2, 3].map((n) => commands.execute(storyId, development(`n${n}`), context(any))));
    expect(settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).name : 'fulfilled'))).toEqual(['StoryNotFound', 'StoryNotFound', 'StoryNotFound']);
  });
});

describe('StoryCommandService: snapshots of long stories for fresh processes', () => {
  const setup = databaseForBlock('story-fold-snapshots-test');
  const EVERY = 5;

  /** A fresh process: its own empty cache, snapshots every EVERY events. */
  function process(): { held: HeldStore; commands: StoryCommandService; snapshots: StoryFoldSnapshots } {
    const held = new HeldStore(setup.inner);
    const snapshots = new StoryFoldSnapshots(rowsOf(setup.pool), quiet, EVERY);
    return { held, commands: new StoryCommandService(held.store, clock, ids, new StoryStateCache(), new Metrics(), snapshots), snapshots };
  }

  /** A story of 12 events written by one process: opened, then 11 developments, the first with a claim. */
  async function longStory(): Promise<{ storyId: string; first: LogDevelopment; claimId: string }> {
    const writer = process();
    const storyId = randomUUID();
    await writer.commands.execute(storyId, { type: 'OpenStory', data: { storyId, headline: 'Snapshots', desk: 'world' } }, context({ kind: 'absent' }));
    const first = development('the first report', { claims: [{ claimId: randomUUID(), text: 'A strike hit the compound.' }] });
    const logged = await writer.commands.execute(storyId, first, context(exact(1)));
    for (let revision = logged.revision; revision < 12; revision += 1) await writer.commands.execute(storyId, development(`update ${revision}`), context(exact(revision)));
    await writer.snapshots.settled();
    const claimId = first.data.claims?.[0]?.claimId as string;
    return { storyId, first, claimId };
  }

  async function snapshotRow(storyId: string): Promise<{ revision: number; last_hash: string } | undefined> {
    const { rows } = await setup.pool.query<{ revision: number; last_hash: string }>('SELECT revision, last_hash FROM api.story_fold_snapshots WHERE stream_id = $1', [
      storyStreamId(storyId),
    ]);
    return rows[0];
  }

  it('keeps a snapshot at the last multiple of the interval, chained to the event it ends at', async () => {
    const { storyId } = await longStory();
    const row = await snapshotRow(storyId);
    expect(row?.revision).toBe(10);
    const events = await setup.inner.readStream(storyStreamId(storyId));
    expect(row?.last_hash).toBe(events[9]?.metadata.hash);
  });

  it('lets a fresh process read the snapshot and the events after it, and decide as on the whole stream', async () => {
    const { storyId, first, claimId } = await longStory();
    const fresh = process();
    // Rules that need what happened before the snapshot: the development and the claim exist, and the id is taken.
    await expect(fresh.commands.execute(storyId, development('again', { developmentId: first.data.developmentId }), context(any))).rejects.toThrow(
      /already/i,
    );
    const retracted = await fresh.commands.execute(storyId, { type: 'RetractClaim', data: { claimId, reason: 'Not confirmed.' } }, context(exact(12)));
    expect(retracted.revision).toBe(13);
    await expect(fresh.commands.execute(storyId, { type: 'RetractClaim', data: { claimId: randomUUID(), reason: 'No such claim.' } }, context(any))).rejects.toBeInstanceOf(
      ClaimNotFound,
    );
    await expect(fresh.commands.execute(storyId, { type: 'RetractClaim', data: { claimId, reason: 'Twice.' } }, context(any))).rejects.toThrow(/retracted/i);
    // The snapshot's last event onward, then (to re-judge refusals on the log) only what came after the cached fold.
    expect(fresh.held.reads.map((read) => read.fromRevision)).toEqual([9n, 13n, 13n]);
    expect(verifyChain(storyStreamId(storyId), await setup.inner.readStream(storyStreamId(storyId)))).toMatchObject({ valid: true, revision: 12n });
  });

  it('folds the whole stream when the snapshot does not end where the stream does', async () => {
    const { storyId } = await longStory();
    await setup.pool.query(`UPDATE api.story_fold_snapshots SET last_hash = repeat('0', 64) WHERE stream_id = $1`, [storyStreamId(storyId)]);
    const fresh = process();
    const outcome = await fresh.commands.execute(storyId, development('after a bad snapshot'), context(exact(12)));
    expect(outcome.revision).toBe(13);
    expect(fresh.held.reads.map((read) => read.fromRevision)).toEqual([9n, 0n]);
  });

  it('ignores a snapshot written for another version of the state', async () => {
    const { storyId } = await longStory();
    await setup.pool.query(`UPDATE api.story_fold_snapshots SET state_version = 0 WHERE stream_id = $1`, [storyStreamId(storyId)]);
    const fresh = process();
    await fresh.commands.execute(storyId, development('after an old snapshot'), context(exact(12)));
    expect(fresh.held.reads.map((read) => read.fromRevision)).toEqual([0n]);
  });

  it('takes a snapshot when a fresh process first folds a long story, and never fails a write for one', async () => {
    const { storyId } = await longStory();
    await setup.pool.query('DELETE FROM api.story_fold_snapshots WHERE stream_id = $1', [storyStreamId(storyId)]);
    const fresh = process();
    await fresh.commands.execute(storyId, development('first write after a restart'), context(exact(12)));
    await fresh.snapshots.settled();
    expect((await snapshotRow(storyId))?.revision).toBe(12);

    // A database without the snapshots' table: every read and save fails, every write still goes through.
    const bare = await createTestDatabase({ migrate: false });
    const barePool = new Pool({ connectionString: bare.url, max: 1 });
    try {
      const warnings: string[] = [];
      const snapshots = new StoryFoldSnapshots(rowsOf(barePool), { warn: (message) => warnings.push(message) }, EVERY);
      const commands = new StoryCommandService(new HeldStore(setup.inner).store, clock, ids, new StoryStateCache(), new Metrics(), snapshots);
      const outcome = await commands.execute(storyId, development('snapshots unavailable'), context(exact(13)));
      await snapshots.settled();
      expect(outcome.revision).toBe(14);
      expect(warnings).toEqual(['story fold snapshot could not be read; folding the whole stream', 'story fold snapshot was not saved']);
    } finally {
      await barePool.end();
      await bare.drop();
    }
  });
});
