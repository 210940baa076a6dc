import type { AllSubscription, RecordedEvent } from '@newsroom/event-store';

const TIMED_OUT: unique symbol = Symbol('timed out');

async function withinMs<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(ms, 0));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads a subscription in steps, waiting for events rather than for time. A `next()` still
 * outstanding when a wait times out is kept for the following wait, so no event is lost or
 * pulled twice between steps.
 */
export class SubscriptionReader {
  private readonly iterator: AsyncIterator<RecordedEvent>;
  private outstanding: Promise<IteratorResult<RecordedEvent>> | null = null;

  constructor(readonly subscription: AllSubscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  /** The next `count` events; fails when they have not all arrived within `timeoutMs`. */
  async collect(count: number, timeoutMs: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    const deadline = Date.now() + timeoutMs;
    while (events.length < count) {
      const result = await withinMs(this.next(), deadline - Date.now());
      if (result === TIMED_OUT) throw new Error(`Received ${events.length} of ${count} events within ${timeoutMs} ms`);
      this.outstanding = null;
      if (result.done === true) throw new Error(`The subscription ended after ${events.length} of ${count} events`);
      events.push(result.value);
    }
    return events;
  }

  /** Events up to and including the first one `isLast` accepts. */
  async collectUntil(isLast: (event: RecordedEvent) => boolean, timeoutMs: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [event] = await this.collect(1, deadline - Date.now()).catch((error: unknown) => {
        throw new Error(`${String(error)} (after ${events.length} events without the awaited one)`);
      });
      if (!event) continue;
      events.push(event);
      if (isLast(event)) return events;
    }
  }

  /** Fails if an event arrives within `ms`: the one check of absence, so the one wait on time. */
  async expectNothingWithin(ms: number): Promise<void> {
    const result = await withinMs(this.next(), ms);
    if (result === TIMED_OUT) return;
    this.outstanding = null;
    throw new Error(
      result.done === true
        ? 'The subscription ended while nothing was expected'
        : `Expected no event within ${ms} ms, got ${result.value.streamId}@${result.value.revision}`,
    );
  }

  /** Whether the subscription has ended (resolves once the outstanding `next()` settles). */
  async isDone(timeoutMs: number): Promise<boolean> {
    const result = await withinMs(this.next(), timeoutMs);
    return result !== TIMED_OUT && result.done === true;
  }

  close(): Promise<void> {
    return this.subscription.close();
  }

  private next(): Promise<IteratorResult<RecordedEvent>> {
    this.outstanding ??= this.iterator.next();
    return this.outstanding;
  }
}

/** The next `count` events of a subscription, within `timeoutMs`. */
export function collect(subscription: AllSubscription, count: number, timeoutMs: number): Promise<RecordedEvent[]> {
  return new SubscriptionReader(subscription).collect(count, timeoutMs);
}
