import { BatchedStdout, JsonLogger } from './json-logger';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('BatchedStdout', () => {
  it('writes the lines of one turn of the event loop in one write, in order', async () => {
    const writes: string[] = [];
    const out = new BatchedStdout((text) => writes.push(text));
    out.write('a');
    out.write('b');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['a\nb\n']);
    out.write('c');
    await nextTurn();
    expect(writes).toEqual(['a\nb\n', 'c\n']);
  });

  it('writes at once an urgent line (with those waiting before it), and when 64 KiB are waiting', () => {
    const writes: string[] = [];
    const out = new BatchedStdout((text) => writes.push(text));
    out.write('info');
    out.write('error', true);
    expect(writes).toEqual(['info\nerror\n']);
    const big = 'x'.repeat(40 * 1024);
    out.write(big);
    expect(writes).toHaveLength(1);
    out.write(big);
    expect(writes).toHaveLength(2);
    expect(writes[1]).toBe(`${big}\n${big}\n`);
  });
});

describe('JsonLogger', () => {
  it('marks errors urgent and leaves info lines to the batch', () => {
    const lines: [string, boolean][] = [];
    const logger = new JsonLogger('test', (line, urgent) => lines.push([line, urgent]), 'info');
    logger.info('request', { status: 201 });
    logger.error('failed', { status: 500 });
    logger.debug('hidden');
    expect(lines.map(([line, urgent]) => [(JSON.parse(line) as { msg: string }).msg, urgent])).toEqual([
      ['request', false],
      ['failed', true],
    ]);
  });
});
