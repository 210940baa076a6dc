import type { Pool } from 'pg';
import type { AllSubscription, Position, RecordedEvent, SubscribeToAllOptions } from '../event-store.port';
import { START_POSITION } from '../event-store.port';
import type { AppendListener } from './append-listener';
import type { EventRow } from './event-rows';
import { positionParameters, toPosition, toRecordedEvent } from './event-rows';
import { toEventStoreError } from './postgres-errors';
import { READ_ALL_BATCH } from './postgres-event-store.sql';

export interface SubscriptionSettings {
  /** Rows read per query. */
  readonly batchSize: number;
  /** Re-poll when caught up and no notification came, in case one was lost. */
  readonly safetyPollMs: number;
  /** First re-poll delay while committed events wait behind a running transaction; doubles up to the max. */
  readonly pendingPollMinMs: number;
  readonly pendingPollMaxMs: number;
}

type BatchRow = { readonly pending: boolean; readonly matches: boolean | null } & (EventRow | NullRow);
type NullRow = { readonly [K in keyof EventRow]: null };

interface Batch {
  readonly events: readonly RecordedEvent[];
  readonly windowFull: boolean;
  readonly pending: boolean;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const CLOSED: unique symbol = Symbol('closed');

/**
 * A gap-safe catch-up subscription over the whole log (see READ_ALL_BATCH for why it is gap-safe).
 * It reads batches after its cursor until a batch comes back short, then sleeps until a commit is
 * announced on the LISTEN connection, a short re-poll when committed events were held back by an
 * older running transaction, or a safety poll. `close()`, and `return()` when a `for await` is left,
 * end the iteration and release the listener connection.
 */
export class PostgresAllSubscription implements AllSubscription, AsyncIterator<RecordedEvent> {
  private cursor: Position;
  private readonly prefixes: readonly string[];
  private readonly listener: AppendListener;
  private buffer: RecordedEvent[] = [];
  private closed = false;
  /** Pending waits that close() must end now. One per wait, removed when it settles: a single
   * long-lived "closed" promise raced against every read would keep every batch reachable. */
  private readonly closeWaiters = new Set<() => void>();
  private appendedSinceLastPoll = false;
  private wake: (() => void) | null = null;
  private pendingPollMs: number;
  /** Serialises `next()` calls that overlap, so events are never handed out twice or out of order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    createListener: (onAppended: () => void) => AppendListener,
    options: SubscribeToAllOptions,
    private readonly settings: SubscriptionSettings,
    private readonly onClosed: (subscription: PostgresAllSubscription) => void,
  ) {
    this.cursor = options.fromPosition === undefined || options.fromPosition === 'start' ? START_POSITION : options.fromPosition;
    this.prefixes = [...(options.streamPrefixes ?? [])];
    this.pendingPollMs = settings.pendingPollMinMs;
    this.listener = createListener(() => this.onAppended());
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this;
  }

  next(): Promise<IteratorResult<RecordedEvent, undefined>> {
    const result = this.queue.then(() => this.pull());
    this.queue = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<RecordedEvent, undefined>> {
    await this.close();
    return DONE;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.buffer = [];
    for (const waiter of this.closeWaiters) waiter();
    this.closeWaiters.clear();
    this.wake?.();
    this.onClosed(this);
    await this.listener.close();
  }

  private async pull(): Promise<IteratorResult<RecordedEvent, undefined>> {
    if (this.closed) return DONE;
    // Listen before the first read, so a commit right after that read is announced.
    if ((await this.untilClosed(this.listener.start())) === CLOSED) return DONE;
    while (!this.closed) {
      const event = this.buffer.shift();
      if (event) return { done: false, value: event };

      let batch: Batch | typeof CLOSED;
      try {
        batch = await this.untilClosed(this.readBatch());
      } catch (error) {
        if (this.closed) return DONE;
        // The consumer restarts from its checkpoint; a subscription that silently stalls would be worse.
        await this.close();
        throw toEventStoreError(error, 'subscription read');
      }
      if (batch === CLOSED) return DONE;
      this.buffer = [...batch.events];
      const progressed = this.buffer.length > 0 || batch.windowFull;
      if (progressed || !batch.pending) this.pendingPollMs = this.settings.pendingPollMinMs;
      if (progressed) continue;
      // Held-back events need no notification to become visible: the transaction holding them
      // back may not be an append. So re-poll soon, backing off while it stays open.
      await this.sleep(batch.pending ? this.nextPendingPollMs() : this.settings.safetyPollMs);
    }
    return DONE;
  }

  /** `work`, or CLOSED as soon as the subscription closes, whichever comes first. */
  private untilClosed<T>(work: Promise<T>): Promise<T | typeof CLOSED> {
    if (this.closed) return Promise.resolve(CLOSED);
    return new Promise<T | typeof CLOSED>((resolve, reject) => {
      const onClose = (): void => resolve(CLOSED);
      this.closeWaiters.add(onClose);
      work.then(
        (value) => {
          this.closeWaiters.delete(onClose);
          resolve(value);
        },
        (error: unknown) => {
          this.closeWaiters.delete(onClose);
          // Passed on untouched: the caller classifies it (an instanceof check here would fail for
          // errors from another realm, such as Node's own under Jest).
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rethrown as received, see above
          reject(error);
        },
      );
    });
  }

  private async readBatch(): Promise<Batch> {
    this.appendedSinceLastPoll = false;
    const after = positionParameters(this.cursor);
    const { rows } = await this.pool.query<BatchRow>(READ_ALL_BATCH, [
      after.transactionId,
      after.globalPosition,
      this.settings.batchSize,
      this.prefixes,
    ]);
    const events: RecordedEvent[] = [];
    let windowSize = 0;
    for (const row of rows) {
      if (!isEventRow(row)) continue;
      windowSize += 1;
      this.cursor = toPosition(row.transaction_id, row.global_position);
      if (row.matches === true) events.push(toRecordedEvent(row));
    }
    return { events, windowFull: windowSize >= this.settings.batchSize, pending: rows[0]?.pending === true };
  }

  private nextPendingPollMs(): number {
    const delay = this.pendingPollMs;
    this.pendingPollMs = Math.min(delay * 2, this.settings.pendingPollMaxMs);
    return delay;
  }

  private onAppended(): void {
    this.appendedSinceLastPoll = true;
    this.wake?.();
  }

  /** Until the delay passes, a commit is announced, or the subscription closes. */
  private async sleep(ms: number): Promise<void> {
    if (this.appendedSinceLastPoll || this.closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = (): void => done();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = wake;
    });
    this.wake = null;
  }
}

function isEventRow(row: BatchRow): row is BatchRow & EventRow {
  return row.global_position !== null;
}
