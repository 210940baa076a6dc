import { withoutUndefined } from './without-undefined';

describe('withoutUndefined', () => {
  it('drops only the keys whose value is undefined, keeping falsy values and the key order', () => {
    const input = { a: 1, b: undefined, c: null, d: false, e: 0, f: '', g: undefined, h: { nested: undefined } };
    const out = withoutUndefined(input);
    expect(Object.keys(out)).toEqual(['a', 'c', 'd', 'e', 'f', 'h']);
    expect(out).toEqual({ a: 1, c: null, d: false, e: 0, f: '', h: { nested: undefined } });
    // Only the top level: a nested undefined is left for canonical JSON to refuse.
    expect('nested' in out.h).toBe(true);
  });

  it('returns a new object and leaves its argument as it was', () => {
    const input = { a: 'x', b: undefined };
    const out = withoutUndefined(input);
    expect(out).not.toBe(input);
    expect(input).toEqual({ a: 'x', b: undefined });
    expect('b' in input).toBe(true);
  });
});
