import { BatchReader } from './batch-reader';

/** A source whose items arrive when the test says so, like a subscription waiting on the log. */
class ControlledSource implements AsyncIterator<number> {
  private readonly ready: IteratorResult<number>[] = [];
  private waiting: ((result: IteratorResult<number>) => void) | null = null;
  pulls = 0;

  push(...values: number[]): void {
    for (const value of values) this.deliver({ done: false, value });
  }

  end(): void {
    this.deliver({ done: true, value: undefined });
  }

  next(): Promise<IteratorResult<number>> {
    this.pulls += 1;
    const ready = this.ready.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  private deliver(result: IteratorResult<number>): void {
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) waiting(result);
    else this.ready.push(result);
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('BatchReader', () => {
  describe('given more events buffered than one batch holds', () => {
    it('returns full batches, in order, then the rest', async () => {
      const source = new ControlledSource();
      source.push(1, 2, 3, 4, 5, 6, 7);
      const reader = new BatchReader(source, 3);
      expect(await reader.next()).toEqual([1, 2, 3]);
      expect(await reader.next()).toEqual([4, 5, 6]);
      expect(await reader.next()).toEqual([7]);
    });
  });

  describe('given a quiet log', () => {
    it('does not wait for a batch to fill: what is available now is a batch', async () => {
      const source = new ControlledSource();
      source.push(1, 2);
      const reader = new BatchReader(source, 500);
      expect(await reader.next()).toEqual([1, 2]);
    });

    it('waits for the first event however long it takes, then batches it at once', async () => {
      const source = new ControlledSource();
      const reader = new BatchReader(source, 500);
      let batch: number[] | null = null;
      const next = reader.next().then((b) => (batch = b));
      await settle();
      await settle();
      expect(batch).toBeNull();
      source.push(42);
      await next;
      expect(batch).toEqual([42]);
    });

    it('keeps the read left pending by a cut: the next event starts the next batch, none lost', async () => {
      const source = new ControlledSource();
      source.push(1);
      const reader = new BatchReader(source, 500);
      expect(await reader.next()).toEqual([1]);
      const pullsAfterFirstBatch = source.pulls;
      source.push(2, 3);
      expect(await reader.next()).toEqual([2, 3]);
      // The pending read was reused rather than a second one issued for the same event.
      expect(source.pulls).toBe(pullsAfterFirstBatch + 2);
    });
  });

  describe('given the source ends', () => {
    it('returns the events before the end, then null from then on', async () => {
      const source = new ControlledSource();
      source.push(1, 2);
      source.end();
      const reader = new BatchReader(source, 10);
      expect(await reader.next()).toEqual([1, 2]);
      expect(await reader.next()).toBeNull();
      expect(await reader.next()).toBeNull();
    });
  });

  describe('given the source fails', () => {
    it('rejects, and a failure after a cut surfaces on the next call rather than as an unhandled rejection', async () => {
      let calls = 0;
      const failing: AsyncIterator<number> = {
        next: () => (++calls === 1 ? Promise.resolve({ done: false, value: 1 }) : new Promise((_, reject) => setTimeout(() => reject(new Error('connection lost')), 5))),
      };
      const reader = new BatchReader(failing, 10);
      expect(await reader.next()).toEqual([1]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(reader.next()).rejects.toThrow('connection lost');
    });
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => new BatchReader(new ControlledSource(), 0)).toThrow(RangeError);
  });
});
