/**
 * Immutable maps and sets whose "copy with one more entry" is O(1).
 *
 * Why: `evolve` runs once per stored event and a story may hold 10,000 events. Copying a
 * `Map` per event makes a replay O(n^2); mutating it in place would change states that
 * callers still hold. This uses Baker's rerooting trick (as in Conchon & Filliâtre's
 * persistent arrays): the newest version owns a real `Map`, every older version holds the
 * one-entry difference to its successor. Reading the newest version (what a replay does)
 * costs nothing extra; reading an older one first replays the differences back to it.
 * Every version always answers with its own contents.
 */

const ABSENT: unique symbol = Symbol('absent');

type Node<K, V> =
  | { readonly kind: 'current'; readonly entries: Map<K, V> }
  | { readonly kind: 'diff'; readonly key: K; readonly value: V | typeof ABSENT; readonly next: PersistentMap<K, V> };

export class PersistentMap<K, V> implements ReadonlyMap<K, V> {
  private node: Node<K, V>;

  private constructor(node: Node<K, V>) {
    this.node = node;
  }

  static empty<K, V>(): PersistentMap<K, V> {
    return new PersistentMap<K, V>({ kind: 'current', entries: new Map() });
  }

  static from<K, V>(entries: Iterable<readonly [K, V]>): PersistentMap<K, V> {
    return new PersistentMap<K, V>({ kind: 'current', entries: new Map(entries) });
  }

  /** A new version with `key` set to `value`; this version keeps its current contents. */
  with(key: K, value: V): PersistentMap<K, V> {
    const entries = this.reroot();
    const previous = entries.has(key) ? (entries.get(key) as V) : ABSENT;
    entries.set(key, value);
    const next = new PersistentMap<K, V>({ kind: 'current', entries });
    this.node = { kind: 'diff', key, value: previous, next };
    return next;
  }

  get size(): number {
    return this.reroot().size;
  }

  get(key: K): V | undefined {
    return this.reroot().get(key);
  }

  has(key: K): boolean {
    return this.reroot().has(key);
  }

  // Iterators run over a copy of this version taken when they are made (a later read of another
  // version reroots the shared `Map` under them): its keys and values as arrays, about an eighth
  // of the cost of copying the `Map` (33,000 entries: 2 ms against 17).
  entries(): MapIterator<[K, V]> {
    const entries = this.reroot();
    return pairs(Array.from(entries.keys()), Array.from(entries.values()));
  }

  keys(): MapIterator<K> {
    return Array.from(this.reroot().keys()).values();
  }

  values(): MapIterator<V> {
    return Array.from(this.reroot().values()).values();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  /** Makes this version own the shared `Map`, undoing the differences recorded after it. */
  private reroot(): Map<K, V> {
    if (this.node.kind === 'current') return this.node.entries;
    // Iterative, not recursive: a version may sit thousands of differences behind the newest.
    const path: PersistentMap<K, V>[] = [this]; // the versions holding differences, oldest first
    let newest = this.node.next;
    while (newest.node.kind === 'diff') {
      path.push(newest);
      newest = newest.node.next;
    }
    const entries = newest.node.entries;
    for (let i = path.length - 1; i >= 0; i -= 1) {
      const version = path[i] as PersistentMap<K, V>;
      const diff = version.node;
      if (diff.kind !== 'diff') throw new Error('PersistentMap: broken version chain');
      const displaced = entries.has(diff.key) ? (entries.get(diff.key) as V) : ABSENT;
      if (diff.value === ABSENT) entries.delete(diff.key);
      else entries.set(diff.key, diff.value);
      diff.next.node = { kind: 'diff', key: diff.key, value: displaced, next: version };
      version.node = { kind: 'current', entries };
    }
    return entries;
  }
}

export class PersistentSet<T> implements ReadonlySet<T> {
  private constructor(private readonly members: PersistentMap<T, true>) {}

  static empty<T>(): PersistentSet<T> {
    return new PersistentSet(PersistentMap.empty<T, true>());
  }

  static from<T>(values: Iterable<T>): PersistentSet<T> {
    return new PersistentSet(PersistentMap.from(Array.from(values, (value): [T, true] => [value, true])));
  }

  with(value: T): PersistentSet<T> {
    return this.members.has(value) ? this : new PersistentSet(this.members.with(value, true));
  }

  get size(): number {
    return this.members.size;
  }

  has(value: T): boolean {
    return this.members.has(value);
  }

  entries(): SetIterator<[T, T]> {
    const members = Array.from(this.members.keys());
    return pairs(members, members);
  }

  keys(): SetIterator<T> {
    return this.values();
  }

  values(): SetIterator<T> {
    return this.members.keys();
  }

  [Symbol.iterator](): SetIterator<T> {
    return this.values();
  }

  forEach(callback: (value: T, value2: T, set: ReadonlySet<T>) => void, thisArg?: unknown): void {
    for (const value of this.values()) callback.call(thisArg, value, value, this);
  }
}

/** `[a[i], b[i]]` for each i, typed as the built-in collections type their entries iterators (at run time a generator iterates as they do). */
function pairs<A, B>(a: readonly A[], b: readonly B[]): MapIterator<[A, B]> & SetIterator<[A, B]> {
  function* zip(): Generator<[A, B], undefined> {
    for (let i = 0; i < a.length; i += 1) yield [a[i] as A, b[i] as B];
    return undefined;
  }
  return zip();
}

/** `map` plus one entry. O(1) when `map` came from here; a hand-built `Map` is copied once. */
export function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  const persistent = map instanceof PersistentMap ? (map as PersistentMap<K, V>) : PersistentMap.from(map);
  return persistent.with(key, value);
}

/** `set` plus one member. O(1) when `set` came from here; a hand-built `Set` is copied once. */
export function withMember<T>(set: ReadonlySet<T>, value: T): ReadonlySet<T> {
  const persistent = set instanceof PersistentSet ? (set as PersistentSet<T>) : PersistentSet.from(set);
  return persistent.with(value);
}
