import type { ExpectedRevision } from '../event-store.port';

/** Revision of a stream that does not exist, as `ExpectedRevisionConflict.actual` reports it. */
export const NO_STREAM_REVISION = -1n;

/** A negative exact revision can never be right, and -1n would silently mean `no_stream`. */
export function assertValidExpectedRevision(expected: ExpectedRevision): void {
  if (typeof expected === 'bigint' && expected < 0n) {
    throw new RangeError(`expectedRevision must be 'any', 'no_stream', 'stream_exists' or a revision >= 0, got ${expected}`);
  }
}

/** `actual` is the revision of the stream's last event, or NO_STREAM_REVISION. */
export function satisfiesExpectedRevision(expected: ExpectedRevision, actual: bigint): boolean {
  if (typeof expected === 'bigint') return actual === expected;
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === NO_STREAM_REVISION;
    case 'stream_exists':
      return actual !== NO_STREAM_REVISION;
    default: {
      const unexpected: never = expected;
      throw new TypeError(`Unknown expected revision ${String(unexpected)}`);
    }
  }
}
