import { type Position } from '@newsroom/event-store';
import { type Queryable } from './queryable';

/**
 * The two questions about the log that the EventStore port cannot answer cheaply, asked of
 * `event_store.events` directly. That table is the PostgreSQL event store's, in the same
 * database; this file is the one place outside libs/event-store that knows its layout (if the
 * adapter's schema changes, change these too). Both follow the order the subscription delivers
 * in, (transaction_id, global_position), so they walk the subscription's own index.
 */

/** xid8 has no -1: the start of the log becomes 0, below every real transaction id. */
const positionParameters = (position: Position): [string, string] => [
  (position.commit < 0n ? 0n : position.commit).toString(),
  position.prepare.toString(),
];

interface LagRow {
  events_behind: string;
  seconds_behind: string | null;
}

/**
 * Events after `position` (counting stops at `cap`) and the age of the oldest of them by the
 * store's commit clock, in seconds (0 when there is none). Events still held back behind a
 * running transaction are counted too: they are committed and not projected, which is lag.
 */
export async function lagAfter(db: Queryable, position: Position, cap: number): Promise<{ events: number; seconds: number }> {
  if (!(Number.isSafeInteger(cap) && cap > 0)) throw new RangeError(`cap must be a positive integer, got ${cap}`);
  const [row] = await db.query<LagRow[]>(
    `SELECT
       (SELECT count(*) FROM (
          SELECT 1 FROM event_store.events e
           WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
           LIMIT ${cap}
        ) behind)::text AS events_behind,
       (SELECT GREATEST(extract(epoch FROM now() - e.created_at), 0)::text
          FROM event_store.events e
         WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
         ORDER BY e.transaction_id, e.global_position
         LIMIT 1) AS seconds_behind`,
    positionParameters(position),
  );
  return { events: Number(row?.events_behind ?? 0), seconds: Number(row?.seconds_behind ?? 0) };
}

/** Events up to and including `position`: the size of a replay that ends there. */
export async function countEventsThrough(db: Queryable, position: Position): Promise<number> {
  const [row] = await db.query<{ n: string }[]>(
    `SELECT count(*)::text AS n FROM event_store.events e WHERE (e.transaction_id, e.global_position) <= ($1::xid8, $2::bigint)`,
    positionParameters(position),
  );
  return Number(row?.n ?? 0);
}
