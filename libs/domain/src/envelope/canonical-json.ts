/**
 * Deterministic JSON for hashing: object keys sorted, no whitespace, arrays in order.
 * Key order follows UTF-16 code units and numbers use JavaScript's shortest form, which
 * makes the output match RFC 8785 (JCS) for the values accepted here.
 *
 * Anything JSON cannot carry faithfully is refused rather than silently dropped or
 * converted (as `JSON.stringify` does): a hash must cover exactly what was stored, and the
 * same value read back from PostgreSQL jsonb (which reorders keys) must hash the same.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export class NotCanonicalizable extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`Cannot canonicalize ${path}: ${problem}`);
    this.name = 'NotCanonicalizable';
  }
}

export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

/** `value` as a plain JSON object, checked: e.g. event data or metadata handed to the event store. */
export function toJsonObject(value: object): JsonObject {
  if (!isPlainObject(value)) throw new NotCanonicalizable('$', 'not a plain object');
  return JSON.parse(canonicalJson(value)) as JsonObject;
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NotCanonicalizable(path, `${value} is not a finite number`);
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      return writeContainer(value, path, ancestors);
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      throw new NotCanonicalizable(path, `${typeof value} has no JSON form`);
    default:
      throw new NotCanonicalizable(path, `unexpected ${typeof value}`);
  }
}

function writeContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new NotCanonicalizable(path, 'circular reference');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items: string[] = [];
      // An index loop, not map(): map() skips holes, which must be refused like undefined.
      for (let i = 0; i < value.length; i += 1) items.push(write((value as unknown[])[i], `${path}[${i}]`, ancestors));
      return `[${items.join(',')}]`;
    }
    if (!isPlainObject(value)) throw new NotCanonicalizable(path, `${Object.prototype.toString.call(value)} is not a plain object`);
    const members = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${write((value as Record<string, unknown>)[key], `${path}.${key}`, ancestors)}`);
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
