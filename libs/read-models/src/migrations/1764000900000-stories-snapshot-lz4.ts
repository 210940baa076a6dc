import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { READ_MODEL_SCHEMA } from '../schema/read-model.ddl';

/**
 * `stories.snapshot` compressed with lz4 instead of pglz, where the server has it. The live
 * projector rewrites the whole snapshot of every story a batch touches, and pglz was most of what
 * storing it cost: for a batch of 467 stories (2.8 MB of JSON), the insert took 26 ms beyond
 * parsing the JSON with pglz and 4.5 ms with lz4. Values already stored keep pglz until their
 * story is next written; both read back the same.
 *
 * Idempotent on purpose: CreateReadModels builds from readModelDdl as it is today, so a database
 * created after this change already has it; one created before gets it here.
 * Since migration 1764001600000 a new database has no `stories.snapshot` at all: undefined_column
 * is a no-op here for the same reason.
 */
export class StoriesSnapshotLz41764000900000 implements MigrationInterface {
  name = 'StoriesSnapshotLz41764000900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DO $$ BEGIN
         ALTER TABLE ${READ_MODEL_SCHEMA}.stories ALTER COLUMN snapshot SET COMPRESSION lz4;
       EXCEPTION WHEN feature_not_supported OR undefined_column THEN NULL;
       END $$`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${READ_MODEL_SCHEMA}.stories ALTER COLUMN snapshot SET COMPRESSION pglz`);
  }
}
