import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AppendInOneStatement1764000300000 } from './1764000300000-append-in-one-statement';

/**
 * Group commit: several appends, to different streams or the same one, in ONE statement and so
 * one commit (event_store.append_to_streams), and no `streams` table to write any more.
 *
 * `streams` was a second row written and WAL-logged on every append only to answer "what is this
 * stream's revision", which the (stream_id, stream_revision) unique index answers already: the
 * last entry of the stream in that index. It becomes a view of each stream's id and revision (for
 * ad-hoc queries and tests; the table's `updated_at` is gone); the adapter's hot path reads the
 * index directly.
 *
 * Ordering (why the subscription stays gap-safe, see the first migration): the function takes the
 * advisory locks of ALL the streams it appends to before it writes anything, so its transaction id
 * is assigned after every earlier writer of those streams has committed. The locks are taken in
 * key order, so two grouped statements that share streams cannot deadlock (a single-stream append
 * takes one lock, which is trivially in order). A group with the same stream twice appends in
 * input order; each append in the loop sees the rows written before it in this transaction.
 *
 * Inputs: per append, its stream id and expected revision; per event (flattened, in append order),
 * the 1-based index of the append it belongs to, its id, type, data and metadata (JSON text).
 * Returns one row per append, in input order: 'ok' with its last revision and position; 'conflict'
 * with the actual revision (-1 for no stream); 'stored' when one of its event ids is already
 * stored (the caller decides between a retry and a conflict). A failure of the whole statement
 * (a concurrent append racing on an event id, say) is the caller's to split up.
 *
 * The plans are generic (plan_cache_mode): the statements take arrays and a stream id whose
 * custom plans never differ, and re-planning them on every call is measurable at this rate. The
 * event-id check probes the unique index once per event.
 */
export class GroupAppends1764000500000 implements MigrationInterface {
  readonly name = 'GroupAppends1764000500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE event_store.streams`);
    await queryRunner.query(`
      CREATE VIEW event_store.streams AS
      SELECT e.stream_id, max(e.stream_revision) AS revision
      FROM event_store.events e
      GROUP BY e.stream_id`);
    await queryRunner.query(`
      CREATE FUNCTION event_store.append_to_streams(
        p_stream_ids text[], p_expected text[],
        p_owner integer[], p_ids uuid[], p_types text[], p_data text[], p_metadata text[]
      ) RETURNS TABLE (append_index integer, outcome text, revision text, transaction_id text, global_position text)
      LANGUAGE plpgsql VOLATILE
      SET plan_cache_mode = force_generic_plan
      AS $fn$
      DECLARE
        v_key bigint;
        v_index integer;
        v_stream text;
        v_expected text;
        v_actual bigint;
        v_revision bigint;
        v_position bigint;
      BEGIN
        -- Under REPEATABLE READ the revisions below would be read from a snapshot older than the locks.
        IF current_setting('transaction_isolation') <> 'read committed' THEN
          RAISE EXCEPTION 'event_store.append_to_streams needs READ COMMITTED, not %', current_setting('transaction_isolation');
        END IF;
        IF cardinality(p_stream_ids) IS DISTINCT FROM cardinality(p_expected)
           OR cardinality(p_ids) IS DISTINCT FROM cardinality(p_owner) THEN
          RAISE EXCEPTION 'event_store.append_to_streams: arrays of different lengths';
        END IF;
        -- Every lock before any write, in key order (deadlock-free across grouped statements).
        FOR v_key IN SELECT DISTINCT hashtextextended(s, 0) AS k FROM unnest(p_stream_ids) AS s ORDER BY k LOOP
          PERFORM pg_advisory_xact_lock(v_key);
        END LOOP;
        FOR v_index IN 1 .. cardinality(p_stream_ids) LOOP
          v_stream := p_stream_ids[v_index];
          v_expected := p_expected[v_index];
          IF EXISTS (
            SELECT 1 FROM generate_subscripts(p_owner, 1) AS g(i)
            WHERE p_owner[g.i] = v_index
              AND EXISTS (SELECT 1 FROM event_store.events e WHERE e.event_id = p_ids[g.i])
          ) THEN
            RETURN QUERY SELECT v_index, 'stored'::text, NULL::text, NULL::text, NULL::text;
            CONTINUE;
          END IF;
          SELECT e.stream_revision INTO v_actual
          FROM event_store.events e
          WHERE e.stream_id = v_stream
          ORDER BY e.stream_revision DESC
          LIMIT 1;
          v_actual := COALESCE(v_actual, -1);
          IF NOT (v_expected = 'any'
                  OR (v_expected = 'no_stream' AND v_actual = -1)
                  OR (v_expected = 'stream_exists' AND v_actual >= 0)
                  OR (v_expected ~ '^[0-9]+$' AND v_actual = v_expected::bigint)) THEN
            RETURN QUERY SELECT v_index, 'conflict'::text, v_actual::text, NULL::text, NULL::text;
            CONTINUE;
          END IF;
          WITH input AS (
            SELECT g.i, row_number() OVER (ORDER BY g.i) AS ordinal
            FROM generate_subscripts(p_owner, 1) AS g(i)
            WHERE p_owner[g.i] = v_index
          ), inserted AS (
            INSERT INTO event_store.events (stream_id, stream_revision, event_id, event_type, data, metadata)
            SELECT v_stream, v_actual + i.ordinal, p_ids[i.i], p_types[i.i], p_data[i.i]::jsonb, p_metadata[i.i]::jsonb
            FROM input i
            ORDER BY i.ordinal
            RETURNING events.global_position AS position, events.stream_revision AS stream_revision
          )
          SELECT max(ins.stream_revision), max(ins.position) INTO v_revision, v_position FROM inserted ins;
          RETURN QUERY SELECT v_index, 'ok'::text, v_revision::text, pg_current_xact_id()::text, v_position::text;
        END LOOP;
      END
      $fn$`);
    // The single-stream function wrote `streams`; it now reads the revision from the index. Kept
    // for clients of the previous release during a rolling deploy.
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION event_store.append_to_stream(
        p_stream_id text, p_expected text, p_ids uuid[], p_types text[], p_data text[], p_metadata text[]
      ) RETURNS TABLE (outcome text, revision text, transaction_id text, global_position text)
      LANGUAGE sql VOLATILE AS $fn$
        SELECT a.outcome, a.revision, a.transaction_id, a.global_position
        FROM event_store.append_to_streams(
          ARRAY[p_stream_id], ARRAY[p_expected],
          array_fill(1, ARRAY[cardinality(p_ids)]), p_ids, p_types, p_data, p_metadata
        ) AS a
      $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION event_store.append_to_stream(text, text, uuid[], text[], text[], text[])`);
    await queryRunner.query(
      `DROP FUNCTION event_store.append_to_streams(text[], text[], integer[], uuid[], text[], text[], text[])`,
    );
    await queryRunner.query(`DROP VIEW event_store.streams`);
    await queryRunner.query(`
      CREATE TABLE event_store.streams (
        stream_id text NOT NULL,
        revision bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT streams_pkey PRIMARY KEY (stream_id),
        CONSTRAINT streams_revision_not_negative CHECK (revision >= 0)
      )`);
    await queryRunner.query(`
      INSERT INTO event_store.streams (stream_id, revision)
      SELECT stream_id, max(stream_revision) FROM event_store.events GROUP BY stream_id`);
    // The previous migration's function, which writes `streams` again.
    await new AppendInOneStatement1764000300000().up(queryRunner);
  }
}
