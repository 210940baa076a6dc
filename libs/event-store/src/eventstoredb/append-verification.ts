import type { AppendResult, EventToAppend, ExpectedRevision, JsonValue, RecordedEvent } from '../event-store.port';
import { DuplicateEventIdConflict, ExpectedRevisionConflict } from '../event-store.errors';
import { NO_STREAM_REVISION } from '../postgres/expected-revision';

/**
 * EventStoreDB deduplicates a retried append by event id alone, and only within one stream: an
 * append whose ids are already stored at the expected place is acknowledged without writing,
 * whatever its content. The port promises more (the same content, or DuplicateEventIdConflict),
 * so the adapter reads the acknowledged events back and compares. These are the pure decisions.
 */

export type AppendVerdict =
  | { readonly kind: 'appended'; readonly result: AppendResult }
  | { readonly kind: 'duplicate'; readonly eventId: string };

const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * `stored` is what the stream holds at the revisions the server acknowledged (the last `events.length`
 * up to `nextExpectedRevision`). A fresh append reads back as itself; an acknowledged retry reads
 * back as the original events, which must have our ids in our order and our content.
 */
export function verifyAppended(streamId: string, events: readonly EventToAppend[], stored: readonly RecordedEvent[]): AppendVerdict {
  if (stored.length !== events.length) {
    throw new Error(
      `EventStoreDB acknowledged ${events.length} events in "${streamId}" but ${stored.length} could be read back (was the stream truncated?)`,
    );
  }
  for (const [index, event] of events.entries()) {
    const record = stored[index];
    if (!record || !sameId(record.eventId, event.eventId) || !sameContent(event, record)) {
      return { kind: 'duplicate', eventId: event.eventId };
    }
  }
  const last = stored[stored.length - 1];
  if (!last) throw new Error('verifyAppended needs at least one event');
  return { kind: 'appended', result: { nextExpectedRevision: last.revision, position: last.position } };
}

/** Type, data and metadata as EventStoreDB stored them: JSON, so key order does not matter. */
export function sameContent(event: EventToAppend, record: RecordedEvent): boolean {
  return event.type === record.type && sameJson(asStored(event.data), record.data) && sameJson(asStored(event.metadata), record.metadata);
}

/** The value as JSON.stringify wrote it: undefined properties dropped, -0 as 0, and so on. */
function asStored(value: JsonValue): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

export function sameJson(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameJson(item, b[index] ?? null));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => {
    const [left, right] = [a[key], b[key]];
    return left !== undefined && right !== undefined && Object.hasOwn(b, key) && sameJson(left, right);
  });
}

/** The events an exact-revision WrongExpectedVersion has to be told apart with, or null if none are needed. */
export function revisionsToInspect(expected: ExpectedRevision, actual: bigint, count: number): { from: bigint; count: number } | null {
  if (expected === 'any' || expected === 'stream_exists') return null;
  const expectedRevision = expected === 'no_stream' ? NO_STREAM_REVISION : expected;
  return actual > expectedRevision ? { from: expectedRevision + 1n, count } : null;
}

/**
 * What a WrongExpectedVersion from EventStoreDB means in the port's terms. The server also answers
 * WrongExpectedVersion when an append is partly a retry ("corrupted idempotency": its first id is
 * stored where expected but not all of them), which the port calls DuplicateEventIdConflict:
 * - `any` never fails on the revision, and `stream_exists` only on a missing stream, so any other
 *   WrongExpectedVersion for them is that case, found through the first event's id;
 * - for `no_stream` or an exact revision, `stored` holds the events after the expected revision
 *   (see `revisionsToInspect`): if one of our ids is among them, the append was partly a retry;
 *   otherwise the stream simply moved on.
 */
export function explainWrongExpectedVersion(
  streamId: string,
  events: readonly EventToAppend[],
  expected: ExpectedRevision,
  actual: bigint,
  stored: readonly RecordedEvent[],
): ExpectedRevisionConflict | DuplicateEventIdConflict {
  const first = events[0];
  if (!first) return new ExpectedRevisionConflict(streamId, expected, actual);
  if (expected === 'any' || (expected === 'stream_exists' && actual !== NO_STREAM_REVISION)) {
    return new DuplicateEventIdConflict(streamId, first.eventId);
  }
  const ours = events.find((event) => stored.some((record) => sameId(record.eventId, event.eventId)));
  return ours ? new DuplicateEventIdConflict(streamId, ours.eventId) : new ExpectedRevisionConflict(streamId, expected, actual);
}
