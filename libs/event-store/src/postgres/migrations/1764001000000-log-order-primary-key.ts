import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The log's own order, (transaction_id, global_position), becomes the primary key, and the
 * separate index on global_position alone goes: one index fewer to write (and WAL-log) per event.
 *
 * Nothing reads by global_position alone: the subscription, readAllForwards (the rebuild's
 * reader), headPosition and the read models' lag and replay-size queries all walk
 * (transaction_id, global_position), and stream reads use (stream_id, stream_revision).
 * global_position stays unique by construction (GENERATED ALWAYS AS IDENTITY); the key now makes
 * the pair unique, which is what a position is.
 *
 * Builds one index over the whole table and holds an ACCESS EXCLUSIVE lock while it does: on a
 * large log, run it in a maintenance window.
 */
export class LogOrderPrimaryKey1764001000000 implements MigrationInterface {
  readonly name = 'LogOrderPrimaryKey1764001000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE event_store.events DROP CONSTRAINT events_pkey`);
    await queryRunner.query(`DROP INDEX event_store.events_transaction_id_global_position_idx`);
    await queryRunner.query(`ALTER TABLE event_store.events ADD CONSTRAINT events_pkey PRIMARY KEY (transaction_id, global_position)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE event_store.events DROP CONSTRAINT events_pkey`);
    await queryRunner.query(`ALTER TABLE event_store.events ADD CONSTRAINT events_pkey PRIMARY KEY (global_position)`);
    await queryRunner.query(
      `CREATE INDEX events_transaction_id_global_position_idx ON event_store.events (transaction_id, global_position)`,
    );
  }
}
