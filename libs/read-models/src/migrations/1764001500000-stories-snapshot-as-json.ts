import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { READ_MODEL_SCHEMA } from '../schema/read-model.ddl';

/**
 * `stories.snapshot` becomes `json` (stored as the text the projection wrote, lz4-compressed)
 * instead of `jsonb`. The live projector rewrites the snapshot of every story each batch touches,
 * and parsing it into jsonb was about half of what storing it cost (a 23 KB snapshot: about 0.2 ms
 * as jsonb, 0.1 ms as json). The API reads it whole, as text (`snapshot::text`, which for json is
 * the stored text itself instead of jsonb serialised again: about half the cost of that read too);
 * the one query that looks inside it (the timeline's occurredAt) uses the json functions.
 *
 * Idempotent on purpose: CreateReadModels builds from readModelDdl as it is today, so a database
 * created after this change already has the json column; one created before is converted here.
 * Changing the type resets the column's compression, so lz4 is set again.
 * Since migration 1764001600000 a new database has no `stories.snapshot` at all: undefined_column
 * is a no-op here for the same reason.
 */
export class StoriesSnapshotAsJson1764001500000 implements MigrationInterface {
  name = 'StoriesSnapshotAsJson1764001500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = READ_MODEL_SCHEMA;
    const rows = (await queryRunner.query(
      `SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'stories' AND column_name = 'snapshot' AND data_type = 'jsonb'`,
      [s],
    )) as unknown[];
    if (rows.length > 0) await queryRunner.query(`ALTER TABLE ${s}.stories ALTER COLUMN snapshot TYPE json USING snapshot::json`);
    await lz4Snapshots(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = READ_MODEL_SCHEMA;
    await queryRunner.query(`ALTER TABLE ${s}.stories ALTER COLUMN snapshot TYPE jsonb USING snapshot::jsonb`);
    await lz4Snapshots(queryRunner);
  }
}

/** Changing the column's type resets its compression: lz4 again (where the server was built with it). */
async function lz4Snapshots(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(
    `DO $$ BEGIN
       ALTER TABLE ${READ_MODEL_SCHEMA}.stories ALTER COLUMN snapshot SET COMPRESSION lz4;
     EXCEPTION WHEN feature_not_supported OR undefined_column THEN NULL;
     END $$`,
  );
}
