import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log and its per-stream revision table.
 *
 * `transaction_id` is what makes catch-up subscriptions gap-safe: identity values are handed out
 * before commit, so a reader that only follows `global_position` can pass over an event whose
 * transaction commits late. Readers order by (transaction_id, global_position) and stop below
 * the oldest transaction still running (see postgres-all-subscription.ts).
 */
export class CreateEventStore1764000000000 implements MigrationInterface {
  readonly name = 'CreateEventStore1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA event_store`);
    await queryRunner.query(`
      CREATE TABLE event_store.events (
        global_position bigint GENERATED ALWAYS AS IDENTITY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream_id text NOT NULL,
        stream_revision bigint NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_pkey PRIMARY KEY (global_position),
        CONSTRAINT events_stream_id_stream_revision_key UNIQUE (stream_id, stream_revision),
        CONSTRAINT events_event_id_key UNIQUE (event_id),
        CONSTRAINT events_stream_revision_not_negative CHECK (stream_revision >= 0),
        CONSTRAINT events_data_is_object CHECK (jsonb_typeof(data) = 'object'),
        CONSTRAINT events_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
      )`);
    await queryRunner.query(
      `CREATE INDEX events_transaction_id_global_position_idx ON event_store.events (transaction_id, global_position)`,
    );
    // The current revision of a stream as a point lookup; written in the appending transaction.
    await queryRunner.query(`
      CREATE TABLE event_store.streams (
        stream_id text NOT NULL,
        revision bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT streams_pkey PRIMARY KEY (stream_id),
        CONSTRAINT streams_revision_not_negative CHECK (revision >= 0)
      )`);
    // Append-only. A superuser can still disable the triggers; the hash chain is the answer to that.
    await queryRunner.query(`
      CREATE FUNCTION event_store.reject_event_mutation() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'event_store.events is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'restrict_violation';
      END;
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER events_reject_update_delete
      BEFORE UPDATE OR DELETE ON event_store.events
      FOR EACH ROW EXECUTE FUNCTION event_store.reject_event_mutation()`);
    await queryRunner.query(`
      CREATE TRIGGER events_reject_truncate
      BEFORE TRUNCATE ON event_store.events
      FOR EACH STATEMENT EXECUTE FUNCTION event_store.reject_event_mutation()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Dropping the table drops its triggers; no CASCADE, so objects others put here are not lost silently.
    await queryRunner.query(`DROP TABLE event_store.events`);
    await queryRunner.query(`DROP FUNCTION event_store.reject_event_mutation()`);
    await queryRunner.query(`DROP TABLE event_store.streams`);
    await queryRunner.query(`DROP SCHEMA event_store`);
  }
}
