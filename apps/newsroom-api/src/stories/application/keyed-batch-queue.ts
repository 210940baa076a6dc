/** One queued item and the way to answer its caller. */
export interface Queued<Input, Output> {
  readonly input: Input;
  resolve(output: Output): void;
  reject(error: unknown): void;
}

/** Runs one batch of one key's items; must settle every item it is given (leftovers are failed for it). */
export type BatchRunner<Input, Output> = (key: string, batch: readonly Queued<Input, Output>[]) => Promise<void>;

export interface KeyedBatchQueueOptions<Input> {
  /** Most items handed to one run. */
  readonly maxBatch?: number;
  /** Items that must run in a batch of their own (e.g. opening a story, with its own conflict rules). */
  readonly alone?: (input: Input) => boolean;
}

interface Item<Input, Output> extends Queued<Input, Output> {
  settled: boolean;
}

interface Lane<Input, Output> {
  readonly waiting: Item<Input, Output>[];
}

/**
 * Items with the same key are handed to the runner in arrival order, one batch at a time: while a
 * batch runs, later arrivals for that key wait, and the next run takes all of them at once (up to
 * `maxBatch`). Different keys run concurrently. Nothing waits to fill a batch: an item that finds its
 * key idle runs at once, alone, so batches only form under contention.
 */
export class KeyedBatchQueue<Input, Output> {
  private readonly lanes = new Map<string, Lane<Input, Output>>();
  private readonly maxBatch: number;
  private readonly alone: (input: Input) => boolean;

  constructor(
    private readonly runner: BatchRunner<Input, Output>,
    options: KeyedBatchQueueOptions<Input> = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 64);
    this.alone = options.alone ?? (() => false);
  }

  push(key: string, input: Input): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      const item: Item<Input, Output> = {
        input,
        settled: false,
        resolve(output) {
          item.settled = true;
          resolve(output);
        },
        reject(error) {
          item.settled = true;
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      };
      const lane = this.lanes.get(key);
      if (lane) {
        lane.waiting.push(item);
        return;
      }
      const fresh: Lane<Input, Output> = { waiting: [item] };
      this.lanes.set(key, fresh);
      void this.drain(key, fresh);
    });
  }

  /** Keys with items waiting or running. */
  get size(): number {
    return this.lanes.size;
  }

  private async drain(key: string, lane: Lane<Input, Output>): Promise<void> {
    while (lane.waiting.length > 0) {
      const batch = this.take(lane.waiting);
      let failure: unknown;
      try {
        await this.runner(key, batch);
      } catch (error) {
        failure = error;
      }
      // A runner that threw, or forgot an item, must not leave its callers hanging.
      const unsettled = batch.filter((item) => !item.settled);
      if (unsettled.length > 0) {
        failure ??= new Error('The batch runner did not answer this item');
        for (const item of unsettled) item.reject(failure);
      }
    }
    this.lanes.delete(key);
  }

  private take(waiting: Item<Input, Output>[]): Item<Input, Output>[] {
    const [first] = waiting;
    if (first !== undefined && this.alone(first.input)) return waiting.splice(0, 1);
    let count = 0;
    while (count < waiting.length && count < this.maxBatch && !this.alone((waiting[count] as Item<Input, Output>).input)) count += 1;
    return waiting.splice(0, count);
  }
}
