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
  type StoryEvent,
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
import { KeyedQueue } from './keyed-queue';
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

/**
 * The write path for every editorial command: load the stream (from the fold cache onward), fold,
 * decide, seal the new events into the hash chain, and append with the exact expected revision.
 */
@Injectable()
export class StoryCommandService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly cache: StoryStateCache,
    private readonly metrics: Metrics,
  ) {}

  private readonly queue = new KeyedQueue();

  /**
   * Commands to one story run one at a time in this process (other processes are kept honest by
   * the expected revision): concurrent editors queue instead of losing races and retrying.
   */
  execute(storyId: string, command: StoryCommand, context: CommandContext): Promise<CommandOutcome> {
    const streamId = storyStreamId(storyId);
    return this.queue.run(streamId, () => this.executeNow(storyId, streamId, command, context));
  }

  private async executeNow(storyId: string, streamId: string, command: StoryCommand, context: CommandContext): Promise<CommandOutcome> {
    // Every event this command writes, on every attempt, names the command as its cause.
    const commandId = this.ids.next();
    if (context.idempotency?.recovering) {
      const prior = await this.priorAttempt(storyId, context);
      if (prior) return prior;
    }
    // A cached fold is appended to optimistically, without reading: if another process moved the
    // story on, the append's expected revision fails and the tail is read then.
    let folded = this.cache.get(streamId);
    let fresh = folded === undefined;
    folded ??= await this.load(streamId);
    for (let attempt = 1; ; attempt += 1) {
      if (!fresh && context.ifMatch.kind === 'revision' && context.ifMatch.revision !== folded.revision) {
        folded = await this.load(streamId);
        fresh = true;
      }
      // An unknown story is a 404 whatever revision the client believed in.
      if (folded.revision === 0 && command.type !== 'OpenStory') throw new StoryNotFound();
      if (context.ifMatch.kind === 'revision' && context.ifMatch.revision !== folded.revision) {
        this.metrics.conflicts.inc({ outcome: 'precondition_failed' });
        throw new PreconditionFailed(folded.revision, `"${context.ifMatch.revision}"`);
      }
      let decided: StoryEvent[];
      try {
        decided = decide(command, folded.state);
      } catch (error) {
        // A rule judged on a cached fold may be judged on a stale one: judge again on the log.
        if (error instanceof DomainError && !fresh) {
          folded = await this.load(streamId);
          fresh = true;
          continue;
        }
        throw error;
      }
      const sealed = sealEvents({
        streamId,
        firstRevision: BigInt(folded.revision),
        prevHash: folded.lastHash,
        events: decided,
        eventIds: decided.map(() => this.ids.next()),
        metadata: {
          editorId: context.principal.editorId,
          correlationId: context.correlationId,
          causationId: commandId,
          recordedAt: this.clock.now().toISOString(),
          ...(reasonOf(command) === undefined ? {} : { reason: reasonOf(command) }),
          ...(context.idempotency ? { idempotencyKey: context.idempotency.key } : {}),
        },
      });
      try {
        await this.store.appendToStream(
          streamId,
          sealed.map((event) => ({ eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata })),
          { expectedRevision: folded.revision === 0 ? 'no_stream' : BigInt(folded.revision - 1) },
        );
      } catch (error) {
        if (!(error instanceof ExpectedRevisionConflict)) throw error;
        if (command.type === 'OpenStory') {
          // A key-derived story id that exists already: this key's first attempt opened it.
          const prior = context.idempotency ? await this.priorAttempt(storyId, context) : undefined;
          if (prior) return prior;
          throw new StoryAlreadyExists(storyId);
        }
        const stale = !fresh;
        folded = await this.load(streamId);
        fresh = true;
        // A stale cache is our own lag, not the client's race: try again on the fresh fold.
        if (stale || (context.ifMatch.kind === 'any' && attempt < MAX_ATTEMPTS)) {
          if (!stale) {
            this.metrics.conflicts.inc({ outcome: 'retried' });
            await backoff(attempt);
          }
          continue;
        }
        this.metrics.conflicts.inc({ outcome: 'precondition_failed' });
        throw new PreconditionFailed(folded.revision, context.ifMatch.kind === 'revision' ? `"${context.ifMatch.revision}"` : '*');
      }
      const state = decided.reduce(evolve, folded.state);
      const revision = folded.revision + sealed.length;
      this.cache.set(streamId, { state, revision, lastHash: sealed.at(-1)?.metadata.hash ?? folded.lastHash });
      this.metrics.appends.inc({ command: command.type });
      for (const event of sealed) this.metrics.appendedEvents.inc({ type: event.type });
      return { storyId, revision, events: sealed };
    }
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

  /** The story folded to its latest revision: the cached fold plus whatever was appended since. */
  async load(streamId: string): Promise<FoldedStory> {
    const cached = this.cache.get(streamId);
    const base: FoldedStory = cached ?? { state: initialState(), revision: 0, lastHash: GENESIS_HASH };
    const tail = await this.readFrom(streamId, base.revision);
    if (tail.length === 0) return base;
    const last = tail.at(-1) as RecordedEvent;
    const folded: FoldedStory = {
      state: tail.reduce((state, event) => evolve(state, toStoryEvent(event)), base.state),
      revision: base.revision + tail.length,
      lastHash: hashOf(last),
    };
    this.cache.set(streamId, folded);
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

function hashOf(event: RecordedEvent): string {
  const hash = event.metadata.hash;
  if (typeof hash !== 'string') throw new Error(`Event ${event.eventId} carries no hash: the stream was not written by this system`);
  return hash;
}

function backoff(attempt: number): Promise<void> {
  const ms = Math.min(50, 2 ** Math.min(attempt, 5)) * Math.random();
  return new Promise((resolve) => setTimeout(resolve, ms));
}
