import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An append as ONE statement: lock the stream, check for stored event ids, check the expected
 * revision, insert the events and move the stream's revision, all inside a function, so an append
 * costs one round trip instead of six (BEGIN, lock, lookup, revision, insert, COMMIT).
 *
 * The function is VOLATILE, so under READ COMMITTED each statement in it takes a fresh snapshot:
 * the revision read after the advisory lock sees what the previous writer of the stream committed,
 * exactly as the separate statements did. The lock is still taken before anything is written, so
 * the transaction id is assigned after the previous writer's commit (see the first migration).
 *
 * Outcomes: 'ok' with the last revision and position; 'conflict' with the actual revision (-1 for
 * no stream); 'stored' when some event id is already stored, for the caller's idempotency check.
 */
export class AppendInOneStatement1764000300000 implements MigrationInterface {
  readonly name = 'AppendInOneStatement1764000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION event_store.append_to_stream(
        p_stream_id text, p_expected text, p_ids uuid[], p_types text[], p_data text[], p_metadata text[]
      ) RETURNS TABLE (outcome text, revision text, transaction_id text, global_position text)
      LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        v_actual bigint;
        v_revision bigint;
        v_position bigint;
      BEGIN
        -- Under REPEATABLE READ the revision below would be read from a snapshot older than the lock.
        IF current_setting('transaction_isolation') <> 'read committed' THEN
          RAISE EXCEPTION 'event_store.append_to_stream needs READ COMMITTED, not %', current_setting('transaction_isolation');
        END IF;
        PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));
        IF EXISTS (SELECT 1 FROM event_store.events e WHERE e.event_id = ANY (p_ids)) THEN
          RETURN QUERY SELECT 'stored'::text, NULL::text, NULL::text, NULL::text;
          RETURN;
        END IF;
        SELECT s.revision INTO v_actual FROM event_store.streams s WHERE s.stream_id = p_stream_id;
        v_actual := COALESCE(v_actual, -1);
        IF NOT (p_expected = 'any'
                OR (p_expected = 'no_stream' AND v_actual = -1)
                OR (p_expected = 'stream_exists' AND v_actual >= 0)
                OR (p_expected ~ '^[0-9]+$' AND v_actual = p_expected::bigint)) THEN
          RETURN QUERY SELECT 'conflict'::text, v_actual::text, NULL::text, NULL::text;
          RETURN;
        END IF;
        WITH input AS (
          SELECT * FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS i(event_id, event_type, data, metadata, ordinal)
        ), inserted AS (
          INSERT INTO event_store.events (stream_id, stream_revision, event_id, event_type, data, metadata)
          SELECT p_stream_id, v_actual + i.ordinal, i.event_id, i.event_type, i.data::jsonb, i.metadata::jsonb
          FROM input i
          ORDER BY i.ordinal
          RETURNING events.global_position AS position, events.stream_revision AS stream_revision
        ), stream AS (
          INSERT INTO event_store.streams (stream_id, revision)
          SELECT p_stream_id, max(ins.stream_revision) FROM inserted ins
          ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, updated_at = now()
        )
        SELECT max(ins.stream_revision), max(ins.position) INTO v_revision, v_position FROM inserted ins;
        RETURN QUERY SELECT 'ok'::text, v_revision::text, pg_current_xact_id()::text, v_position::text;
      END
      $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION event_store.append_to_stream(text, text, uuid[], text[], text[], text[])`);
  }
}
