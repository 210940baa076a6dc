import { PersistentMap, PersistentSet, withEntry, withMember } from './persistent-map';

describe('a persistent map with a few versions', () => {
  const v0 = PersistentMap.empty<string, number>();
  const v1 = v0.with('a', 1);
  const v2 = v1.with('b', 2);
  const v3 = v2.with('a', 10);

  it('answers every version with its own contents, in any order of reading', () => {
    expect(v3.get('a')).toBe(10);
    expect(v1.get('a')).toBe(1);
    expect(v1.has('b')).toBe(false);
    expect(v3.get('b')).toBe(2);
    expect(v0.size).toBe(0);
    expect(v2.size).toBe(2);
    expect([...v1]).toEqual([['a', 1]]);
    expect([...v3.entries()]).toEqual([
      ['a', 10],
      ['b', 2],
    ]);
    expect(v2.get('a')).toBe(1);
  });

  it('can branch: two versions made from the same old one do not see each other', () => {
    const left = v1.with('left', 1);
    const right = v1.with('right', 2);
    expect([...left.keys()]).toEqual(['a', 'left']);
    expect([...right.keys()]).toEqual(['a', 'right']);
    expect(left.has('right')).toBe(false);
    expect(v3.get('a')).toBe(10);
  });

  it('keeps an iterator stable while another version is read', () => {
    const values = v3.values();
    expect(v1.get('a')).toBe(1);
    expect([...values]).toEqual([10, 2]);
  });

  it('keeps a half-read iterator of an old version stable while newer versions are read and written', () => {
    const entries = v2.entries();
    expect(entries.next().value).toEqual(['a', 1]);
    const v4 = v3.with('c', 3);
    expect(v4.get('a')).toBe(10);
    expect([...entries]).toEqual([['b', 2]]);
    const keys = v4.keys();
    expect(v1.get('a')).toBe(1);
    expect([...keys]).toEqual(['a', 'b', 'c']);
  });

  it('passes each entry and itself to forEach', () => {
    const seen: [string, number][] = [];
    v2.forEach((value, key, map) => {
      expect(map).toBe(v2);
      seen.push([key, value]);
    });
    expect(seen).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});

describe('a persistent map 50,000 versions long', () => {
  it('reads the oldest version without exhausting the stack', () => {
    const first = PersistentMap.empty<number, number>().with(0, 0);
    let latest = first;
    for (let i = 1; i < 50_000; i += 1) latest = latest.with(i, i);
    expect(first.size).toBe(1);
    expect(latest.size).toBe(50_000);
  });
});

describe('withEntry and withMember on hand-built collections', () => {
  it('copy them once and never mutate the original', () => {
    const plain = new Map([['a', 1]]);
    const next = withEntry(plain, 'b', 2);
    expect(plain.has('b')).toBe(false);
    expect(next.get('b')).toBe(2);

    const set = new Set(['x']);
    const bigger = withMember(set, 'y');
    expect(set.has('y')).toBe(false);
    expect([...bigger]).toEqual(['x', 'y']);
  });
});

describe('a persistent set', () => {
  it('adds members without changing earlier versions, and ignores a member it has', () => {
    const empty = PersistentSet.empty<string>();
    const one = empty.with('a');
    expect(one.with('a')).toBe(one);
    expect(empty.has('a')).toBe(false);
    expect(one.has('a')).toBe(true);
    expect([...one.with('b').values()]).toEqual(['a', 'b']);
    expect([...one.with('b').entries()]).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
    expect(one.size).toBe(1);
  });
});
