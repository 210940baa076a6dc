/**
 * Drops keys whose value is undefined. Event data and metadata are hashed as canonical JSON,
 * which refuses undefined rather than guessing whether "absent" and "undefined" mean the same.
 */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
