import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { READ_MODEL_SCHEMA } from '../schema/read-model.ddl';

/**
 * An index of the keyframes alone (the revisions that store a whole snapshot). Rebuilding a past
 * revision starts from the nearest keyframe at or before it: without this index PostgreSQL found
 * it by reading every revision row of the story up to the one asked for (30 buffers per lookup on
 * 100-revision stories, and growing with the story); with it, one short backward index-only scan
 * (5 buffers). It holds one entry in 32 rows, so writes barely notice it.
 *
 * Idempotent on purpose: CreateReadModels builds from readModelDdl as it is today, so a database
 * created after this change already has the index; one created before gets it here.
 */
export class StoryRevisionKeyframesIndex1764000700000 implements MigrationInterface {
  name = 'StoryRevisionKeyframesIndex1764000700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = READ_MODEL_SCHEMA;
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS story_revisions_keyframes_idx ON ${s}.story_revisions (story_id, revision) WHERE snapshot IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS ${READ_MODEL_SCHEMA}.story_revisions_keyframes_idx`);
  }
}
