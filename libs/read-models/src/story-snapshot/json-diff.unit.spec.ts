import { applyPatch, deepClone } from 'fast-json-patch';
import { diffJson } from './json-diff';

const roundTrip = (a: unknown, b: unknown): unknown => applyPatch(deepClone(a), diffJson(a, b), true, false).newDocument;

describe('diffJson', () => {
  it('is empty for the same value, even when built separately', () => {
    expect(diffJson({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toEqual([]);
  });

  it('replaces changed leaves and adds appended elements', () => {
    const before = { headline: 'old', developments: [{ id: '1', text: 't' }], revision: 2 };
    const after = { headline: 'new', developments: [{ id: '1', text: 't' }, { id: '2', text: 'u' }], revision: 3 };
    expect(diffJson(before, after)).toEqual([
      { op: 'add', path: '/developments/1', value: { id: '2', text: 'u' } },
      { op: 'replace', path: '/headline', value: 'new' },
      { op: 'replace', path: '/revision', value: 3 },
    ]);
  });

  it('does not depend on key order', () => {
    expect(diffJson({ a: 1, b: 2 }, { b: 3, a: 1 })).toEqual(diffJson({ b: 2, a: 1 }, { a: 1, b: 3 }));
  });

  it('skips shared subtrees without looking into them', () => {
    const shared = { big: Array.from({ length: 3 }, (_, i) => ({ i })) };
    const trap = new Proxy(shared, {
      ownKeys: () => {
        throw new Error('looked into a shared subtree');
      },
    });
    expect(diffJson({ shared: trap, n: 1 }, { shared: trap, n: 2 })).toEqual([{ op: 'replace', path: '/n', value: 2 }]);
  });

  it('builds no path for a key or an element that is the same object in both', () => {
    const element = { id: 'd1' };
    const replaceAll = jest.spyOn(String.prototype, 'replaceAll');
    try {
      const patch = diffJson({ developments: [element, element], headline: 'a', n: 1 }, { developments: [element, element], headline: 'a', n: 2 });
      expect(patch).toEqual([{ op: 'replace', path: '/n', value: 2 }]);
      // Escaping a key costs two replaceAll calls: `developments` (two arrays, looked into) and
      // `n` were escaped; `headline`, equal in both, was not.
      expect(replaceAll).toHaveBeenCalledTimes(4);
    } finally {
      replaceAll.mockRestore();
    }
  });

  it.each([
    [{ a: null }, { a: { b: 1 } }],
    [{ a: [1, 2, 3] }, { a: [1] }],
    [{ a: 1, b: 2 }, { b: 2 }],
    [{ 'x/y': 1, '~': 2 }, { 'x/y': 3, '~': 4 }],
    [{}, { id: 's', list: [{ k: [1] }] }],
    [[1, [2, 3]], [1, [2, 4], 5]],
  ])('gives a patch that turns %j into %j', (a, b) => {
    expect(roundTrip(a, b)).toEqual(b);
  });
});
