import type { JsonObject, Position, RecordedEvent } from '../event-store.port';

/**
 * How an event row comes back from the queries in postgres-event-store.sql.ts. Every column is
 * cast to text in SQL and parsed here, so the adapter does not depend on (or install) pg's global
 * type parsers: int8 and xid8 become bigint, jsonb is parsed once, created_at arrives as epoch ms.
 */
export interface EventRow {
  readonly global_position: string;
  readonly transaction_id: string;
  readonly stream_id: string;
  readonly stream_revision: string;
  readonly event_id: string;
  readonly event_type: string;
  readonly data: string;
  readonly metadata: string;
  readonly created_at_ms: string;
}

export function toPosition(transactionId: string, globalPosition: string): Position {
  return { commit: BigInt(transactionId), prepare: BigInt(globalPosition) };
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: BigInt(row.stream_revision),
    eventId: row.event_id,
    type: row.event_type,
    data: parseJsonObject(row.data),
    metadata: parseJsonObject(row.metadata),
    position: toPosition(row.transaction_id, row.global_position),
    createdAt: new Date(Number(row.created_at_ms)),
  };
}

/**
 * Query parameters for "strictly after `position`" in (transaction_id, global_position) order.
 * Real transaction ids start at 3, so the start of the log (commit -1n) becomes xid8 0, which
 * sorts before all of them; xid8 has no negative values to carry -1 across.
 */
export function positionParameters(position: Position): { readonly transactionId: string; readonly globalPosition: string } {
  const commit = position.commit < 0n ? 0n : position.commit;
  return { transactionId: commit.toString(), globalPosition: position.prepare.toString() };
}

function parseJsonObject(text: string): JsonObject {
  // The table's CHECK constraints guarantee a JSON object.
  return JSON.parse(text) as JsonObject;
}
