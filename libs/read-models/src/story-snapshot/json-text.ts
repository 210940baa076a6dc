/** JSON texts of objects already serialised, by identity. */
const texts = new WeakMap<object, string>();

/**
 * `JSON.stringify(value)` for plain JSON data (no toJSON, no cycles), remembering the text of
 * every object found inside an array. The projection's snapshots are immutable and built from the
 * previous one by copying only what an event changes, so the developments, claims, sources and
 * corrections of a story are the same objects from one revision to the next: a keyframe, a patch
 * that carries one of them, or the story's row reuse their texts instead of serialising the whole
 * story again. Never mutate a value after passing it here.
 */
export function jsonText(value: unknown): string {
  return write(value, false) ?? 'null';
}

function write(value: unknown, remember: boolean): string | undefined {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (remember) {
    const known = texts.get(value);
    if (known !== undefined) return known;
  }
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item: unknown) => write(item, true) ?? 'null').join(',')}]`;
  } else {
    const parts: string[] = [];
    for (const [key, item] of Object.entries(value)) {
      const itemText = write(item, false);
      if (itemText !== undefined) parts.push(`${JSON.stringify(key)}:${itemText}`);
    }
    text = `{${parts.join(',')}}`;
  }
  if (remember) texts.set(value, text);
  return text;
}
