import { Inject, Injectable } from '@nestjs/common';
import {
  decide,
  evolve,
  GENESIS_HASH,
  initialState,
  reasonOf,
  storyStreamId,
  sealEvents,
  type SealedEvent,
  DomainError,
  StoryAlreadyExists,
  StoryNotFound,
  type StoryCommand,
  toStoryEvent,
} from '@newsroom/domain';
import { type EventStore, ExpectedRevisionConflict, type RecordedEvent, StreamNotFound } from '@newsroom/event-store';
import { type Principal } from '../../shared/auth/access-tokens';
import { PreconditionFailed } from '../../shared/http/edge-errors';
import { Metrics } from '../../shared/observability/metrics';
import { CLOCK, type Clock, EVENT_STORE, ID_GENERATOR, type IdGenerator } from '../../infrastructure/tokens';
import { type RequestIdempotency } from '../../shared/idempotency/request-idempotency';
import { type IfMatch } from './if-match';
import { KeyedBatchQueue, type Queued } from './keyed-batch-queue';
import { StoryFoldSnapshots } from './story-fold-snapshots';
import { type FoldedStory, StoryStateCache } from './story-state.cache';

export interface CommandContext {
  readonly principal: Principal;
  readonly correlationId: string;
  readonly ifMatch: IfMatch;
  readonly idempotency?: RequestIdempotency;
}

export interface CommandOutcome {
  readonly storyId: string;
  /** The story's revision after the command: the number of events in its stream. */
  readonly revision: number;
  readonly events: readonly SealedEvent[];
}

/** With `If-Match: *` the server retries a lost race by itself, this many times at most. */
const MAX_ATTEMPTS = 50;

/** Most commands to one story decided together and appended in one round trip. */
export const MAX_COMMANDS_PER_APPEND = 64;

interface PendingCommand {
  readonly storyId: string;
  readonly command: StoryCommand;
  readonly context: CommandContext;
  /** Every event this command writes, on every attempt, names the command as its cause. */
  readonly commandId: string;
  /** Appends this command has been part of that lost a race with another process. */
  races: number;
}

type Pending = Queued<PendingCommand, CommandOutcome>;

interface Accepted {
  readonly item: Pending;
  readonly sealed: SealedEvent[];
  /** The story's revision after this command's events. */
  readonly revision: number;
}

interface Refused {
  readonly item: Pending;
  readonly error: unknown;
}

/** One pass over a batch: who is accepted (with their sealed events, in order), who is refused, and the fold after. */
interface Decisions {
  readonly accepted: Accepted[];
  readonly refused: Refused[];
  readonly after: FoldedStory;
}

/**
 * The write path for every editorial command: fold the story (from the fold cache onward),
 * decide, seal the new events into the hash chain, and append with the exact expected revision.
 *
 * Commands to one story queue in this process instead of racing each other. While one append is in
 * flight the next commands wait; they are then decided one after another on the folded state (each
 * on the state its predecessors left) and all their events go in one append, one round trip: a hot
 * story costs one append per batch, not per command. Each caller still gets its own outcome: its
 * own revision, or its own error (a rule broken, a stale exact If-Match) without failing the others.
 * Other processes are kept honest by the expected revision.
 */
@Injectable()
export class StoryCommandService {
  private readonly queue: KeyedBatchQueue<PendingCommand, CommandOutcome>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly cache: StoryStateCache,
    private readonly metrics: Metrics,
    private readonly snapshots: StoryFoldSnapshots,
  ) {
    this.queue = new KeyedBatchQueue((streamId, batch) => this.runBatch(streamId, batch), {
      maxBatch: MAX_COMMANDS_PER_APPEND,
      // Opening a story has its own answer to a lost race (an idempotent retry, or 409): alone.
      alone: (pending) => pending.command.type === 'OpenStory',
    });
  }

  execute(storyId: string, command: StoryCommand, context: CommandContext): Promise<CommandOutcome> {
    return this.queue.push(storyStreamId(storyId), { storyId, command, context, commandId: this.ids.next(), races: 0 });
  }

  private async runBatch(streamId: string, batch: readonly Pending[]): Promise<void> {
    let open: Pending[] = [];
    for (const item of batch) {
      const { storyId, context } = item.input;
      if (context.idempotency?.recovering) {
        try {
          const prior = await this.priorAttempt(storyId, context);
          if (prior) {
            item.resolve(prior);
            continue;
          }
        } catch (error) {
          item.reject(error);
          continue;
        }
      }
      open.push(item);
    }
    if (open.length === 0) return;

    // A cached fold is appended to optimistically, without reading: if another process moved the
    // story on, the append's expected revision fails and the tail is read then.
    let folded = this.cache.get(streamId);
    let fresh = folded === undefined;
    folded ??= await this.load(streamId);
    for (let round = 1; ; round += 1) {
      const decisions = this.decideAll(streamId, folded, fresh, open);
      if (decisions === 'stale') {
        folded = await this.load(streamId);
        fresh = true;
        continue;
      }
      const { accepted, refused, after } = decisions;
      // Even commands that decided no events check the expected revision (the store writes nothing then).
      if (accepted.length > 0) {
        const events = accepted.flatMap(({ sealed }) => sealed);
        try {
          await this.store.appendToStream(
            streamId,
            events.map((event) => ({ eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata })),
            { expectedRevision: folded.revision === 0 ? 'no_stream' : BigInt(folded.revision - 1) },
          );
        } catch (error) {
          if (!(error instanceof ExpectedRevisionConflict)) {
            for (const { item } of accepted) item.reject(error);
            // The refusals were judged on top of events that were not written: judge them again.
            open = refused.map(({ item }) => item);
            if (open.length === 0) return;
            continue;
          }
          const [only] = open;
          if (open.length === 1 && only?.input.command.type === 'OpenStory') {
            // A key-derived story id that exists already: this key's first attempt opened it.
            const { storyId, context } = only.input;
            const prior = context.idempotency ? await this.priorAttempt(storyId, context) : undefined;
            if (prior) only.resolve(prior);
            else only.reject(new StoryAlreadyExists(storyId));
            return;
          }
          const stale = !fresh;
          folded = await this.load(streamId);
          fresh = true;
          // A stale cache is our own lag, not the clients' race: decide again on the fresh fold.
          if (!stale) open = await this.afterLostRace(open, folded.revision, round);
          if (open.length === 0) return;
          continue;
        }
        this.cache.set(streamId, after);
        this.snapshots.offer(streamId, folded.revision, after);
      }
      for (const { item, sealed, revision } of accepted) {
        this.metrics.appends.inc({ command: item.input.command.type });
        for (const event of sealed) this.metrics.appendedEvents.inc({ type: event.type });
        item.resolve({ storyId: item.input.storyId, revision, events: sealed });
      }
      for (const { item, error } of refused) {
        if (error instanceof PreconditionFailed) this.metrics.conflicts.inc({ outcome: 'precondition_failed' });
        item.reject(error);
      }
      return;
    }
  }

  /**
   * Another process appended to the story while we were deciding: `If-Match: *` commands go again
   * on the new state (a bounded number of times, after a short random pause); commands with an
   * exact If-Match are judged again too, which refuses them, since the revision they named has moved.
   */
  private async afterLostRace(open: readonly Pending[], currentRevision: number, round: number): Promise<Pending[]> {
    const again: Pending[] = [];
    for (const item of open) {
      if (item.input.context.ifMatch.kind !== 'any') {
        again.push(item);
        continue;
      }
      item.input.races += 1;
      if (item.input.races >= MAX_ATTEMPTS) {
        this.metrics.conflicts.inc({ outcome: 'precondition_failed' });
        item.reject(new PreconditionFailed(currentRevision, '*'));
        continue;
      }
      this.metrics.conflicts.inc({ outcome: 'retried' });
      again.push(item);
    }
    if (again.some((item) => item.input.context.ifMatch.kind === 'any')) await backoff(round);
    return again;
  }

  /**
   * Decides the commands one after another, each on the state the accepted ones before it left,
   * and seals the accepted ones' events into one run of the hash chain. On a cached (maybe stale)
   * fold, anything that might only be wrong because the cache lags answers 'stale': fold the log
   * and decide again. Refusals judged on a fresh fold are final once the accepted events are written.
   */
  private decideAll(streamId: string, folded: FoldedStory, fresh: boolean, items: readonly Pending[]): Decisions | 'stale' {
    const accepted: Accepted[] = [];
    const refused: Refused[] = [];
    let { state, revision, lastHash } = folded;
    const recordedAt = this.clock.now().toISOString();
    for (const item of items) {
      const { command, context, commandId } = item.input;
      const { ifMatch } = context;
      // An unknown story is a 404 whatever revision the client believed in.
      if (revision === 0 && command.type !== 'OpenStory') {
        if (!fresh) return 'stale';
        refused.push({ item, error: new StoryNotFound() });
        continue;
      }
      if (ifMatch.kind === 'revision' && ifMatch.revision !== revision) {
        // The cache is a true prefix of the log, so a revision behind the accepted commands here is
        // certainly stale; anything else may only look stale to a cache behind the log.
        if (!fresh && (accepted.length === 0 || ifMatch.revision > revision)) return 'stale';
        refused.push({ item, error: new PreconditionFailed(revision, `"${ifMatch.revision}"`) });
        continue;
      }
      try {
        const decided = decide(command, state);
        const reason = reasonOf(command);
        const sealed = sealEvents({
          streamId,
          firstRevision: BigInt(revision),
          prevHash: lastHash,
          events: decided,
          eventIds: decided.map(() => this.ids.next()),
          metadata: {
            editorId: context.principal.editorId,
            correlationId: context.correlationId,
            causationId: commandId,
            recordedAt,
            ...(reason === undefined ? {} : { reason }),
            ...(context.idempotency ? { idempotencyKey: context.idempotency.key } : {}),
          },
        });
        state = decided.reduce(evolve, state);
        revision += sealed.length;
        lastHash = sealed.at(-1)?.metadata.hash ?? lastHash;
        accepted.push({ item, sealed, revision });
      } catch (error) {
        // A rule judged on a cached fold may be judged on a stale one: judge again on the log.
        if (error instanceof DomainError && !fresh) return 'stale';
        refused.push({ item, error });
      }
    }
    return { accepted, refused, after: { state, revision, lastHash } };
  }

  /**
   * What an earlier attempt with the same Idempotency-Key by the same editor wrote to this story,
   * if anything: its events carry the key. Read from the store, not the cache, since the attempt
   * may have been made by another process that died before it could answer.
   */
  private async priorAttempt(storyId: string, context: CommandContext): Promise<CommandOutcome | undefined> {
    const key = context.idempotency?.key;
    if (key === undefined) return undefined;
    const events = await this.readFrom(storyStreamId(storyId), 0);
    const written = events.filter((e) => e.metadata.idempotencyKey === key && e.metadata.editorId === context.principal.editorId);
    const last = written.at(-1);
    if (!last) return undefined;
    return {
      storyId,
      revision: Number(last.revision) + 1,
      events: written.map((e) => ({ eventId: e.eventId, type: e.type, schemaVersion: Number(e.metadata.schemaVersion), data: e.data, metadata: e.metadata }) as unknown as SealedEvent),
    };
  }

  /**
   * The story folded up to its newest event: from the cached fold onward, else from the newest
   * snapshot onward (once the stream shows the snapshot's last event with the hash it recorded),
   * else from the first event.
   */
  async load(streamId: string): Promise<FoldedStory> {
    const cached = this.cache.get(streamId);
    if (cached) return this.foldOnto(streamId, cached, await this.readFrom(streamId, cached.revision));
    const snapshot = await this.snapshots.load(streamId);
    if (snapshot) {
      // One event of overlap: the snapshot must end where the stream says it does.
      const tail = await this.readFrom(streamId, snapshot.revision - 1);
      const [joint] = tail;
      if (joint && joint.revision === BigInt(snapshot.revision - 1) && hashOf(joint) === snapshot.lastHash) return this.foldOnto(streamId, snapshot, tail.slice(1));
    }
    return this.foldOnto(streamId, EMPTY_FOLD, await this.readFrom(streamId, 0));
  }

  /** `base` plus `tail`, cached (a snapshot with nothing after it too), and offered as a snapshot. */
  private foldOnto(streamId: string, base: FoldedStory, tail: readonly RecordedEvent[]): FoldedStory {
    if (tail.length === 0) {
      // A story that does not exist (yet) is not cached: requests for unknown ids must not fill the cache.
      if (base.revision > 0) this.cache.set(streamId, base);
      return base;
    }
    const last = tail.at(-1) as RecordedEvent;
    const folded: FoldedStory = {
      state: tail.reduce((state, event) => evolve(state, toStoryEvent(event)), base.state),
      revision: base.revision + tail.length,
      lastHash: hashOf(last),
    };
    this.cache.set(streamId, folded);
    this.snapshots.offer(streamId, base.revision, folded);
    return folded;
  }

  private async readFrom(streamId: string, revision: number): Promise<readonly RecordedEvent[]> {
    try {
      return await this.store.readStream(streamId, { fromRevision: BigInt(revision), direction: 'forwards' });
    } catch (error) {
      if (error instanceof StreamNotFound) return [];
      throw error;
    }
  }
}

const EMPTY_FOLD: FoldedStory = { state: initialState(), revision: 0, lastHash: GENESIS_HASH };

function hashOf(event: RecordedEvent): string {
  const hash = event.metadata.hash;
  if (typeof hash !== 'string') throw new Error(`Event ${event.eventId} carries no hash: the stream was not written by this system`);
  return hash;
}

function backoff(attempt: number): Promise<void> {
  const ms = Math.min(50, 2 ** Math.min(attempt, 5)) * Math.random();
  return new Promise((resolve) => setTimeout(resolve, ms));
}
