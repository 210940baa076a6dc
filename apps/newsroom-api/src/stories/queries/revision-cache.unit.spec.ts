import { RevisionCache } from './revision-cache';

const OVERHEAD = 200;
const cacheOf = (bytes: number) => new RevisionCache({ revisionCacheBytes: bytes });

describe('RevisionCache', () => {
  it('gives back what it holds, and nothing it was never given', () => {
    const cache = cacheOf(10_000);
    cache.set('r:a:1', '{"revision":1}');
    expect(cache.get('r:a:1')).toBe('{"revision":1}');
    expect(cache.get('r:a:2')).toBeUndefined();
  });

  it('evicts the least recently used entries once over its budget, counting their text', () => {
    const text = 'x'.repeat(1000);
    const entry = OVERHEAD + 5 + text.length;
    const cache = cacheOf(3 * entry);
    cache.set('k:001', text);
    cache.set('k:002', text);
    cache.set('k:003', text);
    expect(cache.get('k:001')).toBe(text); // k:002 is now the least recently used
    cache.set('k:004', text);
    expect(cache.get('k:002')).toBeUndefined();
    expect(cache.get('k:001')).toBe(text);
    expect(cache.get('k:003')).toBe(text);
    expect(cache.get('k:004')).toBe(text);
    expect(cache.stats()).toEqual({ bytes: 3 * entry, entries: 3 });
  });

  it('counts two bytes a character for text beyond Latin-1', () => {
    const cache = cacheOf(10_000);
    cache.set('k', 'é'.repeat(100));
    expect(cache.stats().bytes).toBe(OVERHEAD + 1 + 100);
    cache.set('k', '—'.repeat(100));
    expect(cache.stats()).toEqual({ bytes: OVERHEAD + 1 + 200, entries: 1 });
  });

  it('holds nothing with a budget of 0, nor an entry larger than the whole budget', () => {
    const off = cacheOf(0);
    off.set('k', 'text');
    expect(off.get('k')).toBeUndefined();
    const small = cacheOf(OVERHEAD + 10);
    small.set('k', 'x'.repeat(100));
    expect(small.get('k')).toBeUndefined();
    expect(small.stats()).toEqual({ bytes: 0, entries: 0 });
  });

  it('answers getAt only for the revision the text was stored for', () => {
    const cache = cacheOf(10_000);
    cache.set('c:a', '{"revision":7}', 7);
    expect(cache.revisionOf('c:a')).toBe(7);
    expect(cache.getAt('c:a', 7)).toBe('{"revision":7}');
    expect(cache.getAt('c:a', 8)).toBeUndefined();
    cache.set('c:a', '{"revision":8}', 8);
    expect(cache.getAt('c:a', 8)).toBe('{"revision":8}');
    expect(cache.stats().entries).toBe(1);
  });
});
