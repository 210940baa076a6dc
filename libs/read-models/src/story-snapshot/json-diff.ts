import type { Operation } from 'fast-json-patch';

const escape = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An RFC 6902 patch from `before` to `after`, for JSON values. Subtrees that are the same object
 * are skipped without being looked into: the snapshot projection builds each snapshot from the
 * one before by copying only the path it changes, so a diff costs the size of the change, not the
 * size of the story. Where references differ, values are compared, so the patch depends only on
 * the two values (never on how they were built or on key order: keys are visited sorted).
 * Arrays are compared by index; elements beyond the shorter one are added or removed at the end.
 */
export function diffJson(before: unknown, after: unknown, path = ''): Operation[] {
  if (before === after) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    const ops: Operation[] = [];
    const common = Math.min(before.length, after.length);
    for (let i = 0; i < common; i += 1) {
      // Most elements are the very same object in both: skipped before a path is built for them.
      if (before[i] !== after[i]) ops.push(...diffJson(before[i], after[i], `${path}/${i}`));
    }
    for (let i = common; i < after.length; i += 1) ops.push({ op: 'add', path: `${path}/${i}`, value: after[i] as unknown });
    for (let i = before.length - 1; i >= common; i -= 1) ops.push({ op: 'remove', path: `${path}/${i}` });
    return ops;
  }
  if (isObject(before) && isObject(after)) {
    const ops: Operation[] = [];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const inBefore = key in before;
      const inAfter = key in after;
      if (inBefore && inAfter && before[key] === after[key]) continue;
      const child = `${path}/${escape(key)}`;
      if (!inAfter) ops.push({ op: 'remove', path: child });
      else if (!inBefore) ops.push({ op: 'add', path: child, value: after[key] });
      else ops.push(...diffJson(before[key], after[key], child));
    }
    return ops;
  }
  return [{ op: 'replace', path, value: after }];
}
