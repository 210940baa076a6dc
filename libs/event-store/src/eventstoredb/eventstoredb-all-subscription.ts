import type { AllSubscription, RecordedEvent } from '../event-store.port';
import { EventStoreUnavailable } from '../event-store.errors';
import type { EventStoreLogger } from '../postgres/event-store-logger';
import { isDeliverable, toRecordedEvent, type ClientRecordedEvent } from './eventstoredb-mapping';
import { toEventStoreError } from './eventstoredb-errors';

/** The client's catch-up subscription to `$all`, as far as this adapter uses it. */
export interface ClientAllSubscription extends AsyncIterable<{ readonly event?: ClientRecordedEvent | undefined }> {
  /** Cancels the gRPC call. */
  unsubscribe(): Promise<void>;
  /** Ends the readable side, so an iteration waiting on it settles. */
  destroy(): unknown;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const CLOSED: unique symbol = Symbol('closed');

/**
 * The port's AllSubscription over EventStoreDB's catch-up subscription: the server reads `$all`
 * after the position (exclusive), filtered server-side; this class maps each event, drops anything
 * the filter let through that the port would not (system events), and ends on `close()` or when a
 * `for await` is left. A subscription the server drops is an error, not an end: the consumer
 * restarts from its checkpoint.
 */
export class EventStoreDbAllSubscription implements AllSubscription, AsyncIterator<RecordedEvent> {
  private readonly iterator: AsyncIterator<{ readonly event?: ClientRecordedEvent | undefined }>;
  private closed = false;
  private readonly closedSignal: Promise<typeof CLOSED>;
  private signalClosed: () => void = () => undefined;
  /** Serialises overlapping `next()` calls, so events are never handed out twice or out of order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly source: ClientAllSubscription,
    private readonly streamPrefixes: readonly string[],
    private readonly logger: EventStoreLogger,
    private readonly onClosed: (subscription: EventStoreDbAllSubscription) => void,
  ) {
    this.iterator = source[Symbol.asyncIterator]();
    this.closedSignal = new Promise((resolve) => {
      this.signalClosed = () => resolve(CLOSED);
    });
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
    this.signalClosed();
    this.onClosed(this);
    try {
      await this.source.unsubscribe();
    } catch (error) {
      // Only the call we are abandoning is at stake.
      this.logger.warn('cancelling the EventStoreDB subscription failed', error);
    }
    this.source.destroy();
  }

  private async pull(): Promise<IteratorResult<RecordedEvent, undefined>> {
    while (!this.closed) {
      let result: IteratorResult<{ readonly event?: ClientRecordedEvent | undefined }> | typeof CLOSED;
      try {
        result = await Promise.race([this.iterator.next(), this.closedSignal]);
      } catch (error) {
        if (this.closed) return DONE;
        await this.close();
        throw toEventStoreError(error, 'subscription read');
      }
      if (result === CLOSED) return DONE;
      if (result.done === true) {
        if (this.closed) return DONE;
        await this.close();
        throw new EventStoreUnavailable('EventStoreDB event store: the server ended the subscription');
      }
      const event = result.value.event;
      if (event && isDeliverable(event, this.streamPrefixes)) return { done: false, value: await this.mapped(event) };
    }
    return DONE;
  }

  /** An event the port cannot represent ends the subscription: skipping it would lose it silently. */
  private async mapped(event: ClientRecordedEvent): Promise<RecordedEvent> {
    try {
      return toRecordedEvent(event);
    } catch (error) {
      await this.close();
      throw error;
    }
  }
}
