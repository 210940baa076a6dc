const IDLE: unique symbol = Symbol('idle');

/** Resolves after pending I/O callbacks: anything already buffered has had its chance to arrive. */
const idle = (): Promise<typeof IDLE> => new Promise((resolve) => setImmediate(() => resolve(IDLE)));

/**
 * Cuts an async stream of events into batches without ever waiting for a batch to fill: a
 * batch is the first event (waited for as long as it takes) plus whatever else the source can
 * hand over immediately, up to `maxSize`. While catching up, batches come out full; when the log
 * is quiet, a single new event is a batch of one and is projected at once.
 *
 * "Immediately" means before the event loop gets to the next macrotask: a subscription serving
 * from its in-memory page answers in microtasks, one that has to query the database does not.
 * A `next()` left pending by that cut is kept and becomes the start of the next batch, so no
 * event is lost or reordered.
 */
export class BatchReader<T> {
  private pending: Promise<IteratorResult<T>> | null = null;
  private ended = false;

  constructor(
    private readonly source: AsyncIterator<T>,
    private readonly maxSize: number,
  ) {
    if (!(Number.isSafeInteger(maxSize) && maxSize > 0)) throw new RangeError(`maxSize must be a positive integer, got ${maxSize}`);
  }

  /** The next batch, or null once the source has ended (or was closed). */
  async next(): Promise<T[] | null> {
    if (this.ended) return null;
    const first = await this.take();
    if (first.done) return this.end();
    const batch = [first.value];
    while (batch.length < this.maxSize) {
      const result = await Promise.race([this.peek(), idle()]);
      if (result === IDLE) break;
      this.pending = null;
      if (result.done) {
        this.ended = true;
        break;
      }
      batch.push(result.value);
    }
    return batch;
  }

  private take(): Promise<IteratorResult<T>> {
    const result = this.peek();
    this.pending = null;
    return result;
  }

  /** The source's next result, requested once and kept until consumed. */
  private peek(): Promise<IteratorResult<T>> {
    if (!this.pending) {
      const pending = this.source.next();
      // A rejection is handled when the promise is taken; until then it must not count as unhandled.
      pending.catch(() => undefined);
      this.pending = pending;
    }
    return this.pending;
  }

  private end(): null {
    this.ended = true;
    return null;
  }
}
