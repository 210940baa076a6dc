import { canonicalJson, NotCanonicalizable, toJsonObject } from './canonical-json';

describe('canonical JSON of equal values', () => {
  it('is the same string whatever order the keys were written in, at every depth', () => {
    const a = { b: 1, a: { d: [1, 2], c: null } };
    const b = { a: { c: null, d: [1, 2] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[1,2]},"b":1}');
  });

  it('keeps array order, since order in an array is meaning', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson(['b', 'a'])).toBe('["b","a"]');
  });

  it('has no whitespace and escapes strings as JSON does', () => {
    expect(canonicalJson({ text: 'He said "hi"\n', emoji: 'é😀', t: true })).toBe('{"emoji":"é😀","t":true,"text":"He said \\"hi\\"\\n"}');
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 does', () => {
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '10': 4, '9': 5 })).toBe('{"10":4,"9":5,"Z":3,"z":2,"é":1}');
  });

  it('writes numbers in their shortest form', () => {
    expect(canonicalJson([1.0, -0, 1e21, 0.1])).toBe('[1,0,1e+21,0.1]');
  });

  it('accepts the same object twice when it is not its own ancestor', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});

function arrayWithHole(): unknown[] {
  const holey: unknown[] = [1];
  holey[2] = 3;
  return holey;
}

describe('canonical JSON of values JSON cannot carry faithfully', () => {
  it.each([
    ['undefined at the top', undefined, '$'],
    ['an undefined property', { a: 1, b: undefined }, '$.b'],
    ['an undefined array item', [1, undefined], '$[1]'],
    ['a hole in an array', arrayWithHole(), '$[1]'],
    ['NaN', { n: Number.NaN }, '$.n'],
    ['Infinity', { n: Number.POSITIVE_INFINITY }, '$.n'],
    ['a function', { f: () => 1 }, '$.f'],
    ['a symbol', { s: Symbol('s') }, '$.s'],
    ['a bigint', { r: 1n }, '$.r'],
    ['a Date', { at: new Date(0) }, '$.at'],
    ['a Map', { m: new Map() }, '$.m'],
  ])('refuses %s, naming where it is', (_case, value, path) => {
    expect(() => canonicalJson(value)).toThrow(NotCanonicalizable);
    expect(() => canonicalJson(value)).toThrow(`Cannot canonicalize ${path}`);
  });

  it('refuses a circular reference', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/circular/);
  });
});

describe('toJsonObject', () => {
  it('returns an equal plain object', () => {
    expect(toJsonObject({ b: [1, { c: 'x' }], a: null })).toStrictEqual({ a: null, b: [1, { c: 'x' }] });
  });

  it('refuses an array, which is not an object for a JSON column', () => {
    expect(() => toJsonObject([1])).toThrow(NotCanonicalizable);
  });
});
