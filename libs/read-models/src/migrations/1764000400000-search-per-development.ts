import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { READ_MODEL_SCHEMA } from '../schema/read-model.ddl';

/**
 * Full-text search per development instead of per story. The story's vector covered every
 * development's text, so each write re-parsed the whole story: writing cost grew with the story
 * and dominated the rebuild (to_tsvector over the full text at every batch that touched a story).
 * Now a development's text is parsed once, when it is logged or corrected, and the story's vector
 * holds only its headline and summary. readModelDdl makes the same tables for a rebuild.
 *
 * Idempotent on purpose: CreateReadModels builds from readModelDdl as it is today, so a database
 * created after this change already has the column and index; one created before gets them here.
 */
export class SearchPerDevelopment1764000400000 implements MigrationInterface {
  name = 'SearchPerDevelopment1764000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = READ_MODEL_SCHEMA;
    await queryRunner.query(
      `ALTER TABLE ${s}.developments ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED`,
    );
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS developments_search_idx ON ${s}.developments USING gin (search)`);
    await queryRunner.query(`UPDATE ${s}.stories SET search = to_tsvector('english', headline || E'\\n' || COALESCE(summary, ''))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = READ_MODEL_SCHEMA;
    await queryRunner.query(`DROP INDEX ${s}.developments_search_idx`);
    await queryRunner.query(`ALTER TABLE ${s}.developments DROP COLUMN search`);
  }
}
