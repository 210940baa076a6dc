import { KeyedBatchQueue, type Queued } from './keyed-batch-queue';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

/** A runner that records its batches and answers each item with `<input>!`, waiting on a gate per call when given. */
function recordingRunner(gates: Promise<void>[] = []) {
  const batches: string[][] = [];
  const runner = async (key: string, batch: readonly Queued<string, string>[]): Promise<void> => {
    batches.push(batch.map((item) => `${key}:${item.input}`));
    await gates[batches.length - 1];
    for (const item of batch) item.resolve(`${item.input}!`);
  };
  return { batches, runner };
}

describe('KeyedBatchQueue', () => {
  it('runs an item at once when its key is idle, and hands everything that queued meanwhile to the next run, in order', async () => {
    const gate = deferred();
    const { batches, runner } = recordingRunner([gate.promise]);
    const queue = new KeyedBatchQueue(runner);
    const first = queue.push('a', '1');
    const rest = ['2', '3', '4'].map((input) => queue.push('a', input));
    expect(batches).toEqual([['a:1']]);
    gate.resolve();
    await expect(Promise.all([first, ...rest])).resolves.toEqual(['1!', '2!', '3!', '4!']);
    expect(batches).toEqual([['a:1'], ['a:2', 'a:3', 'a:4']]);
  });

  it('runs different keys concurrently', async () => {
    const gate = deferred();
    const { batches, runner } = recordingRunner([gate.promise]);
    const queue = new KeyedBatchQueue(runner);
    const blocked = queue.push('a', '1');
    await expect(queue.push('b', '2')).resolves.toBe('2!');
    gate.resolve();
    await expect(blocked).resolves.toBe('1!');
    expect(batches).toEqual([['a:1'], ['b:2']]);
  });

  it('takes at most maxBatch items per run, and puts the items that must be alone in runs of their own', async () => {
    const gate = deferred();
    const { batches, runner } = recordingRunner([gate.promise]);
    const queue = new KeyedBatchQueue(runner, { maxBatch: 2, alone: (input) => input.startsWith('open') });
    const all = ['0', '1', '2', '3', 'open4', '5', 'open6', 'open7', '8'].map((input) => queue.push('a', input));
    gate.resolve();
    await Promise.all(all);
    expect(batches).toEqual([['a:0'], ['a:1', 'a:2'], ['a:3'], ['a:open4'], ['a:5'], ['a:open6'], ['a:open7'], ['a:8']]);
  });

  it('fails the items a throwing runner left unanswered, keeps the answers it gave, and goes on with the next batch', async () => {
    const gate = deferred();
    let calls = 0;
    const queue = new KeyedBatchQueue<string, string>(async (_key, batch) => {
      calls += 1;
      if (calls === 1) {
        await gate.promise;
        for (const item of batch) item.resolve('first');
        return;
      }
      if (calls === 2) {
        batch[0]?.resolve('answered before the throw');
        throw new Error('boom');
      }
      for (const item of batch) item.resolve('later');
    });
    const first = queue.push('a', '0');
    const answered = queue.push('a', '1');
    const failed = queue.push('a', '2');
    gate.resolve();
    await expect(first).resolves.toBe('first');
    await expect(answered).resolves.toBe('answered before the throw');
    await expect(failed).rejects.toThrow('boom');
    await expect(queue.push('a', '3')).resolves.toBe('later');
  });

  it('fails an item the runner forgot instead of leaving its caller waiting, and forgets idle keys', async () => {
    const gate = deferred();
    const queue = new KeyedBatchQueue<string, string>(async (_key, batch) => {
      await gate.promise;
      batch[0]?.resolve(`answered ${batch[0].input}`);
    });
    const x = queue.push('k', '0');
    const y = queue.push('k', '1');
    const z = queue.push('k', '2');
    gate.resolve();
    await expect(x).resolves.toBe('answered 0');
    await expect(y).resolves.toBe('answered 1');
    await expect(z).rejects.toThrow('did not answer');
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.size).toBe(0);
  });
});
