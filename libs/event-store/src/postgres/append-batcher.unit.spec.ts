import type { AppendOutcomeRow, GroupedAppend } from './append-batcher';
import { AppendBatcher } from './append-batcher';

const append = (streamId: string, expected = '-2'): GroupedAppend => ({
  streamId,
  expected,
  ids: [`id-${streamId}`],
  types: ['Tested'],
  data: ['{}'],
  metadata: ['{}'],
});

const ok = (revision: number): AppendOutcomeRow => ({ actual: String(revision - 1), revision: String(revision), transaction_id: '1', global_position: '1' });
const conflict = (actual: number): AppendOutcomeRow => ({ actual: String(actual), revision: null, transaction_id: null, global_position: null });

/** A fake statement runner: records each call's streams, and is released by the test. */
function controlledRunner(decide: (group: readonly GroupedAppend[]) => readonly AppendOutcomeRow[] | Error = (group) => group.map((_, i) => ok(i))) {
  const calls: string[][] = [];
  const waiting: (() => void)[] = [];
  const run = (group: readonly GroupedAppend[]): Promise<readonly AppendOutcomeRow[]> => {
    calls.push(group.map((a) => a.streamId));
    return new Promise((resolve, reject) => {
      waiting.push(() => {
        const outcome = decide(group);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      });
    });
  };
  const releaseAll = async (): Promise<void> => {
    // Release until nothing is left, including statements started by earlier releases.
    for (let rounds = 0; rounds < 100; rounds += 1) {
      const next = waiting.shift();
      if (!next) {
        await new Promise((resolve) => setImmediate(resolve));
        if (waiting.length === 0) return;
        continue;
      }
      next();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { run, calls, releaseAll, waiting };
}

describe('AppendBatcher', () => {
  it('runs an append at once when a slot is free, and groups the appends that arrive while the slots are busy', async () => {
    const runner = controlledRunner();
    const batcher = new AppendBatcher(runner.run, { maxInFlight: 2 });

    const results = ['a', 'b', 'c', 'd', 'e'].map((stream) => batcher.append(append(stream)));
    expect(runner.calls).toEqual([['a'], ['b']]);
    expect(batcher.waiting).toBe(3);

    await runner.releaseAll();
    await Promise.all(results);
    expect(runner.calls).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
  });

  it('gives every caller the outcome of its own append, in the order of the group', async () => {
    const runner = controlledRunner((group) =>
      group.map((a): AppendOutcomeRow =>
        a.expected === '-1' ? conflict(4) : ok(Number(a.streamId.slice(1))),
      ),
    );
    const batcher = new AppendBatcher(runner.run, { maxInFlight: 1 });

    const first = batcher.append(append('s0'));
    const grouped = [batcher.append(append('s1')), batcher.append(append('s2', '-1')), batcher.append(append('s3'))];
    await runner.releaseAll();

    await expect(first).resolves.toEqual(ok(0));
    expect(await Promise.all(grouped)).toEqual([ok(1), conflict(4), ok(3)]);
    expect(runner.calls).toEqual([['s0'], ['s1', 's2', 's3']]);
  });

  it('runs the appends of a failed group again one by one, in order, so only the bad one fails', async () => {
    const bad = new Error('check constraint violated');
    const runner = controlledRunner((group) => (group.some((a) => a.streamId === 'bad') ? bad : group.map((_, i) => ok(i))));
    const batcher = new AppendBatcher(runner.run, { maxInFlight: 1 });

    const first = batcher.append(append('first'));
    const grouped = ['x', 'bad', 'y'].map((stream) => batcher.append(append(stream)).then(
      (row) => ({ row }),
      (error: unknown) => ({ error }),
    ));
    await runner.releaseAll();

    await expect(first).resolves.toEqual(ok(0));
    expect(await Promise.all(grouped)).toEqual([{ row: ok(0) }, { error: bad }, { row: ok(0) }]);
    expect(runner.calls).toEqual([['first'], ['x', 'bad', 'y'], ['x'], ['bad'], ['y']]);
  });

  it('passes the error of a lone append on unchanged, without running it again', async () => {
    const failure = new Error('connection lost');
    const runner = controlledRunner(() => failure);
    const batcher = new AppendBatcher(runner.run);

    const result = batcher.append(append('only')).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await runner.releaseAll();

    expect(await result).toBe(failure);
    expect(runner.calls).toEqual([['only']]);
  });

  it('puts at most maxGroupSize appends in one statement', async () => {
    const runner = controlledRunner();
    const batcher = new AppendBatcher(runner.run, { maxInFlight: 1, maxGroupSize: 2 });

    const results = ['a', 'b', 'c', 'd', 'e', 'f'].map((stream) => batcher.append(append(stream)));
    await runner.releaseAll();
    await Promise.all(results);

    expect(runner.calls).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f']]);
  });

  it('rejects every append of a group whose statement returned the wrong number of outcomes', async () => {
    const runner = controlledRunner(() => [ok(0)]);
    const batcher = new AppendBatcher(runner.run, { maxInFlight: 1 });

    const first = batcher.append(append('a'));
    const grouped = Promise.allSettled([batcher.append(append('b')), batcher.append(append('c'))]);
    await runner.releaseAll();

    await expect(first).resolves.toEqual(ok(0));
    const outcomes = await grouped;
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    for (const outcome of outcomes) expect(outcome.status === 'rejected' && String(outcome.reason)).toMatch(/returned 1 outcomes/);
  });

  it('runs one append per stream at a time, in order: a later one waits for the running one, and is never grouped with another', async () => {
    const runner = controlledRunner();
    const batcher = new AppendBatcher(runner.run, { maxInFlight: 2 });

    const results = ['a', 'a', 'b', 'a', 'c'].map((stream) => batcher.append(append(stream)));
    // The second a waits for the first, so b, behind it in the queue, takes the free slot.
    expect(runner.calls).toEqual([['a'], ['b']]);
    await runner.releaseAll();
    await Promise.all(results);

    expect(runner.calls).toEqual([['a'], ['b'], ['a', 'c'], ['a']]);
  });

  it('rejects settings that would never run anything', () => {
    const run = (): Promise<readonly AppendOutcomeRow[]> => Promise.resolve([]);
    expect(() => new AppendBatcher(run, { maxInFlight: 0 })).toThrow(RangeError);
    expect(() => new AppendBatcher(run, { maxGroupSize: 0.5 })).toThrow(RangeError);
  });
});
