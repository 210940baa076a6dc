import type { AppendResult, EventToAppend, Position } from '../event-store.port';
import { DuplicateEventIdConflict } from '../event-store.errors';

/** An event of the append that is already stored, as the idempotency lookup returns it. */
export interface StoredEventMatch {
  /** 0-based index of the event in the append. */
  readonly index: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: Position;
  /** Type, data and metadata equal the stored event's (jsonb equality: key order does not matter). */
  readonly sameContent: boolean;
}

export type IdempotencyDecision =
  | { readonly kind: 'write' }
  | { readonly kind: 'already-appended'; readonly result: AppendResult }
  | { readonly kind: 'conflict'; readonly eventId: string };

/**
 * An append is a retry when every one of its events is stored in this stream, with the same
 * content, at consecutive revisions in the same order: then the original result stands. Any other
 * overlap with stored events is a conflict, because writing would either fail on the unique
 * event id or store the same event twice.
 */
export function decideIdempotency(
  streamId: string,
  eventCount: number,
  stored: readonly StoredEventMatch[],
): IdempotencyDecision {
  const matches = [...stored].sort((a, b) => a.index - b.index);
  const first = matches[0];
  if (!first) return { kind: 'write' };

  const foreign = matches.find((match) => match.streamId !== streamId || !match.sameContent);
  if (foreign) return { kind: 'conflict', eventId: foreign.eventId };
  if (matches.length !== eventCount) return { kind: 'conflict', eventId: first.eventId };

  const misplaced = matches.find((match) => match.revision !== first.revision + BigInt(match.index));
  if (misplaced) return { kind: 'conflict', eventId: misplaced.eventId };

  const last = matches[matches.length - 1] ?? first;
  return { kind: 'already-appended', result: { nextExpectedRevision: last.revision, position: last.position } };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks what the database would otherwise reject less helpfully: ids that are not UUIDs, and an
 * id used twice inside one append (which is never a retry, so it is a conflict).
 */
export function assertAppendableEvents(streamId: string, events: readonly EventToAppend[]): void {
  const seen = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.eventId)) throw new TypeError(`eventId must be a UUID, got "${event.eventId}"`);
    const id = event.eventId.toLowerCase();
    if (seen.has(id)) throw new DuplicateEventIdConflict(streamId, event.eventId);
    seen.add(id);
  }
}
