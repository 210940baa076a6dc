/**
 * Drops keys whose value is undefined. Event data and metadata are hashed as canonical JSON,
 * which refuses undefined rather than guessing whether "absent" and "undefined" mean the same.
 * A loop over own keys into a fresh object: `Object.fromEntries(Object.entries(...).filter(...))`
 * built two arrays per pair and cost 1.5% of the API's CPU on every write.
 */
export function withoutUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}
