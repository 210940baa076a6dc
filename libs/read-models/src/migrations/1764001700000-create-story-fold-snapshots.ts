import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The write side's snapshots of long stories' folds (apps/newsroom-api, StoryFoldSnapshots): a
 * fresh API process reads a story's newest snapshot and only the events after it, instead of the
 * whole stream. Derived data: the events stay the record, a snapshot is checked against the hash
 * of the event it ends at before it is used, and one of an older `state_version` is ignored.
 */
export class CreateStoryFoldSnapshots1764001700000 implements MigrationInterface {
  name = 'CreateStoryFoldSnapshots1764001700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS api`);
    await queryRunner.query(`
      CREATE TABLE api.story_fold_snapshots (
        stream_id     text        NOT NULL,
        revision      integer     NOT NULL,
        state_version integer     NOT NULL,
        last_hash     text        NOT NULL,
        state         json        NOT NULL,
        taken_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT story_fold_snapshots_pk PRIMARY KEY (stream_id),
        CONSTRAINT story_fold_snapshots_revision_ck CHECK (revision > 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS api.story_fold_snapshots`);
  }
}
