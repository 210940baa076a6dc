import { gunzipSync } from 'node:zlib';
import { COMPRESS_FROM_BYTES, GZIP_RESERVE, JsonBody } from '../../shared/http/json-body';
import { RevisionCache } from './revision-cache';

const OVERHEAD = 200;
const cacheOf = (bytes: number) => new RevisionCache({ revisionCacheBytes: bytes });
const body = (text: string) => new JsonBody(text);

describe('RevisionCache', () => {
  it('gives back what it holds, and nothing it was never given', () => {
    const cache = cacheOf(10_000);
    const held = body('{"revision":1}');
    cache.set('r:a:1', held);
    expect(cache.get('r:a:1')).toBe(held);
    expect(cache.get('r:a:2')).toBeUndefined();
  });

  it('evicts the least recently used entries once over its budget, counting their bytes', () => {
    const text = `"${'x'.repeat(500)}"`; // below COMPRESS_FROM_BYTES: nothing reserved for gzip
    const entry = OVERHEAD + 5 + text.length;
    const cache = cacheOf(3 * entry);
    const [one, two, three, four] = [body(text), body(text), body(text), body(text)];
    cache.set('k:001', one);
    cache.set('k:002', two);
    cache.set('k:003', three);
    expect(cache.get('k:001')).toBe(one); // k:002 is now the least recently used
    cache.set('k:004', four);
    expect(cache.get('k:002')).toBeUndefined();
    expect(cache.get('k:001')).toBe(one);
    expect(cache.get('k:003')).toBe(three);
    expect(cache.get('k:004')).toBe(four);
    expect(cache.stats()).toEqual({ bytes: 3 * entry, entries: 3 });
  });

  it('counts UTF-8 bytes, and reserves room for the gzip form of a body worth compressing', () => {
    const cache = cacheOf(100_000);
    cache.set('k', body(`"${'é'.repeat(100)}"`));
    expect(cache.stats().bytes).toBe(OVERHEAD + 1 + 202);
    const long = `"${'a'.repeat(COMPRESS_FROM_BYTES)}"`;
    cache.set('k', body(long));
    expect(cache.stats()).toEqual({ bytes: OVERHEAD + 1 + long.length + Math.ceil(long.length * GZIP_RESERVE), entries: 1 });
  });

  it('holds nothing with a budget of 0, nor an entry larger than the whole budget', () => {
    const off = cacheOf(0);
    off.set('k', body('"text"'));
    expect(off.get('k')).toBeUndefined();
    const small = cacheOf(OVERHEAD + 10);
    small.set('k', body(`"${'x'.repeat(100)}"`));
    expect(small.get('k')).toBeUndefined();
    expect(small.stats()).toEqual({ bytes: 0, entries: 0 });
  });

  it('keeps a held body compressed once: the gzip form decodes to the same bytes and is made only on demand', async () => {
    const text = JSON.stringify({ developments: Array.from({ length: 50 }, (_, i) => ({ id: i, text: 'The prime minister confirmed the strike.' })) });
    const held = body(text);
    const first = await held.gzip();
    expect(await held.gzip()).toBe(first);
    expect(gunzipSync(first).toString('utf8')).toBe(text);
    expect(first.length).toBeLessThan(text.length * GZIP_RESERVE);
  });
});
