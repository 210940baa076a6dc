import { randomUUID } from 'node:crypto';
import { ClaimNotFound, type LogDevelopment, storyStreamId, verifyChain } from '@newsroom/domain';
import { type AppendOptions, type AppendResult, connectEventStore, type EventStore, type EventToAppend } from '@newsroom/event-store';
import { createTestDatabase, type TestDatabase } from '../../../../../tests/support/test-database';
import { PreconditionFailed } from '../../shared/http/edge-errors';
import { Metrics } from '../../shared/observability/metrics';
import { type IfMatch } from './if-match';
import { type CommandContext, type CommandOutcome, StoryCommandService } from './story-command.service';
import { StoryStateCache } from './story-state.cache';

/**
 * The real store, with every append recorded and, while `hold()` is in force, kept waiting before
 * it starts (or, with `afterWriting`, after it has written but before it answers).
 */
class HeldStore {
  readonly appends: { streamId: string; events: number }[] = [];
  private gate: Promise<void> | null = null;
  private afterWriting = false;
  private entered: (() => void) | null = null;

  readonly store: EventStore;

  constructor(readonly inner: EventStore) {
    this.store = new Proxy(inner, {
      get: (target, property, receiver) => {
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

describe('StoryCommandService: commands to one story that queue up are appended together', () => {
  let db: TestDatabase;
  let inner: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    inner = await connectEventStore({ kind: 'postgres', url: db.url }, { applicationName: 'story-command-service-test' });
  });

  afterAll(async () => {
    await inner.close();
    await db.drop();
  });

  function service(held: HeldStore): StoryCommandService {
    return new StoryCommandService(held.store, clock, ids, new StoryStateCache(), new Metrics());
  }

  async function open(commands: StoryCommandService): Promise<string> {
    const storyId = randomUUID();
    await commands.execute(storyId, { type: 'OpenStory', data: { storyId, headline: 'Batched writes', desk: 'world' } }, context({ kind: 'absent' }));
    return storyId;
  }

  it('decides each on the state the ones before it left, answers each with its own revision or error, and appends once', async () => {
    const held = new HeldStore(inner);
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

    const events = await inner.readStream(storyStreamId(storyId));
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
    const held = new HeldStore(inner);
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
    const heldA = new HeldStore(inner);
    const a = service(heldA);
    const b = service(new HeldStore(inner));
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
    const events = await inner.readStream(storyStreamId(storyId));
    expect(events.map((e) => textOf(e.data))).toEqual(['', 'A1', 'from B', 'A2']);
    expect(verifyChain(storyStreamId(storyId), events)).toMatchObject({ valid: true, revision: 3n });
    // The stale batch (A2 + A3) was tried once, refused by the log, and A2 appended alone after a read.
    expect(heldA.appends.map((x) => x.events)).toEqual([1, 1, 2, 1]);
  });

  it('answers 404 to every queued command for a story that does not exist', async () => {
    const commands = service(new HeldStore(inner));
    const storyId = randomUUID();
    const settled = await Promise.allSettled([1, 2, 3].map((n) => commands.execute(storyId, development(`n${n}`), context(any))));
    expect(settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).name : 'fulfilled'))).toEqual(['StoryNotFound', 'StoryNotFound', 'StoryNotFound']);
  });
});
