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
  return new CanonicalWriter().write(value);
}

/** `value` as a plain JSON object, checked: e.g. event data or metadata handed to the event store. */
export function toJsonObject(value: object): JsonObject {
  if (!isPlainObject(value)) throw new NotCanonicalizable('$', 'not a plain object');
  return JSON.parse(canonicalJson(value)) as JsonObject;
}

/**
 * One serialisation. The path of the value being written is kept as segments and only spelled
 * out when something is refused: building a path string for every value cost more than writing it.
 */
class CanonicalWriter {
  private readonly ancestors = new Set<object>();
  private readonly segments: (string | number)[] = [];

  write(value: unknown): string {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return JSON.stringify(value);
      case 'number':
        if (!Number.isFinite(value)) return this.refuse(`${value} is not a finite number`);
        return JSON.stringify(value);
      case 'object':
        if (value === null) return 'null';
        return this.writeContainer(value);
      case 'undefined':
      case 'function':
      case 'symbol':
      case 'bigint':
        return this.refuse(`${typeof value} has no JSON form`);
      default:
        return this.refuse(`unexpected ${typeof value}`);
    }
  }

  private writeContainer(value: object): string {
    if (this.ancestors.has(value)) return this.refuse('circular reference');
    this.ancestors.add(value);
    try {
      if (Array.isArray(value)) {
        let out = '[';
        // An index loop, not map(): map() skips holes, which must be refused like undefined.
        for (let i = 0; i < value.length; i += 1) {
          this.segments.push(i);
          out += (i === 0 ? '' : ',') + this.write((value as unknown[])[i]);
          this.segments.pop();
        }
        return `${out}]`;
      }
      if (!isPlainObject(value)) return this.refuse(`${Object.prototype.toString.call(value)} is not a plain object`);
      const keys = Object.keys(value).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i += 1) {
        const key = keys[i] as string;
        this.segments.push(key);
        out += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${this.write((value as Record<string, unknown>)[key])}`;
        this.segments.pop();
      }
      return `${out}}`;
    } finally {
      this.ancestors.delete(value);
    }
  }

  private refuse(problem: string): never {
    const path = this.segments.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`)).join('');
    throw new NotCanonicalizable(`$${path}`, problem);
  }
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
