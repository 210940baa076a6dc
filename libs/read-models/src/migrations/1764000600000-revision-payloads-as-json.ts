import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { READ_MODEL_SCHEMA } from '../schema/read-model.ddl';

/**
 * `story_revisions.changes`, `patch` and `snapshot` become `json` (stored as the text the
 * projection wrote) instead of `jsonb`, compressed with lz4 where the server supports it. Nothing
 * queries into them: the API reads each value whole and parses it in Node, so jsonb's binary form
 * only cost the writer (every revision's patch and every keyframe's full snapshot converted on
 * insert), most of all in a rebuild, which writes one row per event. readModelDdl makes the same
 * columns for a rebuild.
 *
 * Idempotent on purpose: CreateReadModels builds from readModelDdl as it is today, so a database
 * created after this change already has json columns; one created before is converted here.
 */
export class RevisionPayloadsAsJson1764000600000 implements MigrationInterface {
  name = 'RevisionPayloadsAsJson1764000600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = READ_MODEL_SCHEMA;
    const rows = (await queryRunner.query(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = 'story_revisions' AND column_name IN ('changes', 'patch', 'snapshot') AND data_type = 'jsonb'`,
      [s],
    )) as { column_name: string }[];
    if (rows.length > 0) {
      await queryRunner.query(
        `ALTER TABLE ${s}.story_revisions ${rows.map(({ column_name: c }) => `ALTER COLUMN ${c} TYPE json USING ${c}::json`).join(', ')}`,
      );
    }
    await queryRunner.query(
      `DO $$ BEGIN
         ALTER TABLE ${s}.story_revisions ALTER COLUMN changes SET COMPRESSION lz4, ALTER COLUMN patch SET COMPRESSION lz4,
           ALTER COLUMN snapshot SET COMPRESSION lz4;
       EXCEPTION WHEN feature_not_supported THEN NULL;
       END $$`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = READ_MODEL_SCHEMA;
    await queryRunner.query(
      `ALTER TABLE ${s}.story_revisions ALTER COLUMN changes TYPE jsonb USING changes::jsonb, ALTER COLUMN patch TYPE jsonb USING patch::jsonb,
         ALTER COLUMN snapshot TYPE jsonb USING snapshot::jsonb`,
    );
  }
}
