import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * event_store.append_group: the grouped append as ONE SQL statement, without advisory locks and
 * without the event-id probe. It replaces append_to_streams in the adapter; append_to_streams and
 * append_to_stream stay for clients of the previous release during a rolling deploy (see below
 * for why the two kinds of writer can run side by side).
 *
 * What the unique indexes already guarantee is no longer checked by hand:
 * - an event id already stored fails the INSERT on events_event_id_key; the adapter then looks the
 *   ids up and tells a retry of an earlier append (the original result) from a conflict;
 * - a revision another writer took first fails it on events_stream_id_stream_revision_key.
 *
 * Why the subscription stays gap-safe without the lock. The subscription needs every stream's
 * events in revision order in (transaction_id, global_position) order, i.e. the writer of revision
 * n+1 must have a larger transaction id than the writer of revision n. Here the stream's head
 * (revision n) is read from the statement's snapshot, which is taken before the statement writes
 * anything, and the transaction id is only assigned at the first INSERT, later. So the writer of
 * revision n had committed before the snapshot, and so had its id, before ours was assigned: ids
 * are handed out in increasing order, so ours is larger. If the snapshot is stale (revision n+1
 * committed meanwhile, or is being written by a transaction still running), our revision n+1
 * collides in the unique index: we wait for that transaction and fail if it commits, so nothing
 * out of order is ever written. This needs the statement to be its transaction's first write (the
 * adapter runs it alone, in autocommit), exactly as the lock did; the lock was only needed because
 * the plpgsql function read the head in a later statement, after its first insert could have
 * assigned the id.
 *
 * A writer of the previous release (lock, then a fresh snapshot, then insert) is safe beside this
 * one by the same argument: it reads the head after the lock, before its first write.
 *
 * What the lock did that nothing does now: make a second writer of the same stream wait instead
 * of failing. In one process the adapter still runs one append per stream at a time
 * (AppendBatcher); between processes, `any` and `stream_exists` appends that lose the race are
 * retried, exact revisions get the conflict they would have got after waiting.
 *
 * Inputs (expected revision as a number: -2 any, -1 no stream, -3 stream exists, else the exact
 * revision): per append its stream id (distinct within one call) and expected revision; per
 * event, in append order, the 1-based append it belongs to, its 1-based place in that append, and
 * its id, type, data and metadata (JSON text). Returns one row per append, in input order: the
 * stream's revision before the call (-1 for none) and, when it was written, its last revision and
 * position; no revision means the expected revision did not hold and nothing of it was written.
 *
 * plpgsql only to keep ONE generic plan (plan_cache_mode): as a prepared statement PostgreSQL
 * re-plans it on every call, because the array sizes make each custom plan look cheaper, and the
 * planning cost about as much as running it.
 */
export class AppendWithoutLocks1764001100000 implements MigrationInterface {
  readonly name = 'AppendWithoutLocks1764001100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION event_store.append_group(
        p_stream_ids text[], p_expected bigint[],
        p_owner integer[], p_place integer[], p_ids uuid[], p_types text[], p_data text[], p_metadata text[]
      ) RETURNS TABLE (append_index integer, actual text, revision text, transaction_id text, global_position text)
      LANGUAGE plpgsql VOLATILE
      SET plan_cache_mode = force_generic_plan
      AS $fn$
      BEGIN
        RETURN QUERY
        WITH appends AS MATERIALIZED (
          SELECT a.append_index::integer AS append_index, a.stream_id, a.expected,
                 COALESCE((SELECT e.stream_revision FROM event_store.events e
                           WHERE e.stream_id = a.stream_id ORDER BY e.stream_revision DESC LIMIT 1), -1) AS actual
          FROM unnest(p_stream_ids, p_expected) WITH ORDINALITY AS a(stream_id, expected, append_index)
        ), inserted AS (
          INSERT INTO event_store.events (stream_id, stream_revision, event_id, event_type, data, metadata)
          SELECT a.stream_id, a.actual + i.place, i.event_id, i.event_type, i.data::jsonb, i.metadata::jsonb
          FROM unnest(p_owner, p_place, p_ids, p_types, p_data, p_metadata)
               WITH ORDINALITY AS i(owner, place, event_id, event_type, data, metadata, ordinal)
          JOIN appends a ON a.append_index = i.owner
          WHERE a.expected = -2 OR a.actual = a.expected OR (a.expected = -3 AND a.actual >= 0)
          ORDER BY i.ordinal
          RETURNING events.stream_id, events.stream_revision, events.transaction_id, events.global_position
        )
        SELECT a.append_index, a.actual::text, last.revision, last.transaction_id, last.global_position
        FROM appends a
        LEFT JOIN LATERAL (
          SELECT i.stream_revision::text AS revision, i.transaction_id::text AS transaction_id, i.global_position::text AS global_position
          FROM inserted i
          WHERE i.stream_id = a.stream_id
          ORDER BY i.global_position DESC
          LIMIT 1
        ) last ON true
        ORDER BY a.append_index;
      END
      $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION event_store.append_group(text[], bigint[], integer[], integer[], uuid[], text[], text[], text[])`,
    );
  }
}
