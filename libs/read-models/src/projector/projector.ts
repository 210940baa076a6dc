import { type DataSource } from 'typeorm';
import { type AllSubscription, type EventStore, type Position, type RecordedEvent } from '@newsroom/event-store';
import { READ_MODEL_SCHEMA } from '../schema/read-model.ddl';
import { applyBatch, type PlannedBatch } from '../projections/apply-batch';
import { loadCheckpoint, markFailed } from '../projections/checkpoint.store';
import { type PreparedBatch, prepareKnownStoryBatch, ProjectionError, STORY_PROJECTION } from '../projections/story-read-models.projection';
import { StoryStateCache } from '../projections/story-state-cache';
import { BatchReader } from './batch-reader';
import { errorFields, type ProjectorLogger, silentLogger } from './projector-logger';
import { isTransientError } from './transient-errors';

export interface ProjectorOptions {
  readonly dataSource: DataSource;
  readonly store: EventStore;
  /** The schema holding the read models and their checkpoint. */
  readonly schema?: string;
  /** Upper bound of one batch (one transaction). */
  readonly maxBatchSize?: number;
  /** Backoff after a transient error: doubles from min to max, back to min after a committed batch. */
  readonly retry?: { readonly minMs?: number; readonly maxMs?: number };
  /**
   * Close the subscription and subscribe again from the checkpoint after this many events or this
   * long from its first committed batch, whichever comes first. The PostgreSQL subscription currently keeps every page it has
   * read (and a little per poll) reachable until it is closed; a projector that runs for months
   * must not hold its whole history. Costs one checkpoint read and one LISTEN reconnect per cycle.
   */
  readonly resubscribeEvery?: { readonly events?: number; readonly ms?: number };
  /**
   * Budget of the in-memory copy of the stories it committed (total length of their snapshots'
   * JSON; the heap holds a few times that), so a batch need not read them back. 0 turns it off.
   */
  readonly storyCacheBytes?: number;
  /** At most one progress line per this many ms (and none while nothing happens). */
  readonly progressLogMs?: number;
  readonly logger?: ProjectorLogger;
  /** Called after every committed batch. */
  readonly onBatch?: (batch: CommittedBatch) => void;
}

export interface CommittedBatch {
  /** Events in the batch as delivered by the subscription. */
  readonly events: number;
  /** Events newly covered by the checkpoint (redelivered ones are not counted). */
  readonly applied: number;
  readonly position: Position;
  readonly ms: number;
}

export type ProjectorOutcome =
  | { readonly kind: 'stopped' }
  /** The projection stopped on an event it cannot handle; the checkpoint sits right before it. */
  | { readonly kind: 'failed'; readonly eventId: string; readonly error: string };

type Culprit = { readonly event: RecordedEvent; readonly error: unknown };

type WhileWriting = (written: PreparedBatch, writing: Promise<unknown>) => Promise<void>;

/** A batch being read ahead, and the batch itself once it has arrived. */
interface Upcoming {
  readonly batch: Promise<RecordedEvent[] | null>;
  arrived: RecordedEvent[] | null;
}

/**
 * The long-running projector: follows the log from the stored checkpoint with a catch-up
 * subscription, cuts it into batches (BatchReader) and applies each with `applyBatch`, which
 * projects, moves the checkpoint and NOTIFYs readers in one transaction.
 *
 * Two kinds of trouble, told apart by `isTransientError`:
 * - transient (connection lost, a schema swapped by a rebuild): log, back off, reload the
 *   checkpoint and subscribe again from it; nothing was committed, nothing is skipped;
 * - anything else is an event the projection cannot handle: find which one, commit what came
 *   before it, record the failure with `markFailed` (its own transaction, after the batch rolled
 *   back), log it, and stop. `run()` then resolves `failed`; it never skips the event. Only a new
 *   `run()` (a restart) tries again.
 */
export class Projector {
  private readonly schema: string;
  private readonly maxBatchSize: number;
  private readonly minRetryMs: number;
  private readonly maxRetryMs: number;
  private readonly logger: ProjectorLogger;
  private readonly cache: StoryStateCache;
  private retryMs: number;
  private stopping = false;
  private subscription: AllSubscription | null = null;
  private wakeFromSleep: (() => void) | null = null;
  private running: Promise<ProjectorOutcome> | null = null;
  private progress = { events: 0, batches: 0, since: Date.now() };

  constructor(private readonly options: ProjectorOptions) {
    this.schema = options.schema ?? READ_MODEL_SCHEMA;
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.minRetryMs = options.retry?.minMs ?? 200;
    this.maxRetryMs = options.retry?.maxMs ?? 5_000;
    this.retryMs = this.minRetryMs;
    this.logger = options.logger ?? silentLogger;
    this.cache = new StoryStateCache(options.storyCacheBytes ?? 64 * 1024 * 1024);
  }

  /** Projects until `stop()` or a projection failure. Calling it again returns the same run. */
  run(): Promise<ProjectorOutcome> {
    this.running ??= this.loop();
    return this.running;
  }

  /**
   * Lets the batch being applied commit, then closes the subscription. A batch that was read but
   * not yet started is dropped: it is read again from the checkpoint next time.
   */
  async stop(): Promise<ProjectorOutcome | null> {
    this.stopping = true;
    this.wakeFromSleep?.();
    await this.subscription?.close();
    return this.running;
  }

  private async loop(): Promise<ProjectorOutcome> {
    while (!this.stopping) {
      try {
        const failure = await this.follow();
        if (failure) return failure;
      } catch (error) {
        if (this.stopping) break;
        if (!isTransientError(error)) throw error;
        this.logger.warn('transient error; retrying from the checkpoint', { projection: STORY_PROJECTION, retryInMs: this.retryMs, ...errorFields(error) });
        await this.sleep(this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, this.maxRetryMs);
      }
    }
    return { kind: 'stopped' };
  }

  /**
   * One subscription's life: from the stored checkpoint until stop, a failure, a thrown transient
   * error, or the end of its span (see `resubscribeEvery`), after which `loop` starts the next.
   */
  private async follow(): Promise<ProjectorOutcome | null> {
    const { dataSource, store } = this.options;
    const checkpoint = await loadCheckpoint(dataSource, this.schema, STORY_PROJECTION);
    if (this.stopping) return null;
    const subscription = store.subscribeToAll({ fromPosition: checkpoint.position });
    this.subscription = subscription;
    // Closing ends the reader's wait; a batch being applied still commits first. The span's clock
    // starts at its first committed batch, so every span makes progress however slow the start
    // (a span that ended before its first batch would only start the same wait again).
    let spanTimer: NodeJS.Timeout | null = null;
    const spanEvents = this.options.resubscribeEvery?.events ?? 10_000;
    let delivered = 0;
    try {
      const reader = new BatchReader(subscription[Symbol.asyncIterator](), this.maxBatchSize);
      const readNext = (): Upcoming => {
        const batch = reader.next();
        const upcoming: Upcoming = { batch, arrived: null };
        batch.then((events) => (upcoming.arrived = events)).catch(() => undefined);
        return upcoming;
      };
      let upcoming = readNext();
      // Set by the callback below; an object, so the compiler does not assume it stays null.
      const ahead: { plan: PlannedBatch | null } = { plan: null };
      while (delivered < spanEvents) {
        const batch = await upcoming.batch;
        if (!batch || this.stopping) return null;
        // Read the next batch while this one is applied (the subscription has its own connection),
        // so reading and writing overlap instead of taking turns. Batches are still applied one at
        // a time, in order; a batch read ahead is simply dropped if this span ends first.
        const next: Upcoming = delivered + batch.length < spanEvents ? readNext() : { batch: Promise.resolve(null), arrived: null };
        upcoming = next;
        const plan = ahead.plan?.events === batch ? ahead.plan : null;
        ahead.plan = null;
        // While PostgreSQL writes this batch, fold the next one if it is here (see planAhead).
        const culprit = await this.apply(batch, plan, async (written, writing) => {
          // The next batch is usually still being read when a planned batch's writes go out.
          await Promise.race([next.batch, writing]);
          ahead.plan = this.planAhead(batch, written, next.arrived);
        });
        if (culprit) return this.fail(culprit);
        delivered += batch.length;
        if (!spanTimer) {
          spanTimer = setTimeout(() => void subscription.close(), this.options.resubscribeEvery?.ms ?? 10 * 60_000);
          spanTimer.unref();
        }
      }
      return null;
    } finally {
      if (spanTimer) clearTimeout(spanTimer);
      this.subscription = null;
      await subscription.close();
    }
  }

  /** Applies a batch; on a projection failure, finds the event responsible. Transient errors are thrown. */
  private async apply(batch: readonly RecordedEvent[], plan: PlannedBatch | null, whileWriting: WhileWriting): Promise<Culprit | null> {
    try {
      await this.commit(batch, plan, whileWriting);
      return null;
    } catch (error) {
      if (isTransientError(error)) throw error;
      const [only] = batch;
      if (only && batch.length === 1) return { event: only, error };
      // Everything before the culprit is projected, one event per transaction, so the checkpoint
      // stops exactly in front of it.
      for (const event of batch) {
        try {
          await this.commit([event]);
        } catch (single) {
          if (isTransientError(single)) throw single;
          return { event, error: single };
        }
      }
      return null;
    }
  }

  /**
   * The next batch folded while this one is being written, against the state this one leaves:
   * the stories it writes, and the ones remembered from earlier batches. The next batch's
   * transaction uses it only if this one committed and nothing else moved the checkpoint
   * (applyBatch checks), so the fold (a third of a batch's CPU) runs beside PostgreSQL's work
   * instead of between its statements. Null when the next batch has not arrived yet, or holds a
   * story known neither way (it is then folded in its transaction, reading what it lacks).
   */
  private planAhead(batch: readonly RecordedEvent[], written: PreparedBatch, next: readonly RecordedEvent[] | null): PlannedBatch | null {
    const after = batch.at(-1)?.position;
    if (!next || !after || this.stopping) return null;
    const known = { get: (storyId: string) => written.stories.get(storyId) ?? this.cache.get(storyId) };
    const prepared = prepareKnownStoryBatch(this.schema, next, known);
    return prepared ? { after, events: next, prepared } : null;
  }

  private async commit(batch: readonly RecordedEvent[], plan?: PlannedBatch | null, whileWriting?: WhileWriting): Promise<void> {
    const started = Date.now();
    const applied = await applyBatch(this.options.dataSource, this.schema, batch, {
      cache: this.cache,
      ...(plan ? { plan } : {}),
      ...(whileWriting ? { whileWriting } : {}),
    });
    const last = batch.at(-1);
    this.retryMs = this.minRetryMs;
    if (!last) return;
    const committed: CommittedBatch = { events: batch.length, applied, position: last.position, ms: Date.now() - started };
    this.options.onBatch?.(committed);
    this.logProgress(committed);
  }

  private async fail({ event, error }: Culprit): Promise<ProjectorOutcome> {
    const eventId = error instanceof ProjectionError && error.eventId ? error.eventId : event.eventId;
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error('projection failed: it stopped on an event it cannot handle and will not skip it', {
      projection: STORY_PROJECTION,
      eventId,
      eventType: event.type,
      streamId: event.streamId,
      position: positionFields(event.position),
      ...errorFields(error),
    });
    // Its own transaction: the batch's was rolled back. Retried while the database is away, so a
    // failure is never lost to a blip.
    for (;;) {
      try {
        await markFailed(this.options.dataSource, this.schema, STORY_PROJECTION, message, eventId);
        break;
      } catch (markError) {
        if (!isTransientError(markError) || this.stopping) throw markError;
        await this.sleep(this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, this.maxRetryMs);
      }
    }
    return { kind: 'failed', eventId, error: message };
  }

  private logProgress(batch: CommittedBatch): void {
    this.progress.events += batch.events;
    this.progress.batches += 1;
    const elapsed = Date.now() - this.progress.since;
    if (elapsed < (this.options.progressLogMs ?? 5_000)) return;
    this.logger.info('projected', {
      projection: STORY_PROJECTION,
      events: this.progress.events,
      batches: this.progress.batches,
      eventsPerSecond: Math.round((this.progress.events * 1000) / Math.max(elapsed, 1)),
      position: positionFields(batch.position),
    });
    this.progress = { events: 0, batches: 0, since: Date.now() };
  }

  private async sleep(ms: number): Promise<void> {
    if (this.stopping) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeFromSleep = done;
    });
    this.wakeFromSleep = null;
  }
}

export const positionFields = (position: Position): { commit: string; prepare: string } => ({
  commit: position.commit.toString(),
  prepare: position.prepare.toString(),
});
