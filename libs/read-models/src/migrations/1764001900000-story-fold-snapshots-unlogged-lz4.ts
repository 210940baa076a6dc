import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `api.story_fold_snapshots` unlogged, and its `state` compressed with lz4 instead of pglz where
 * the server has it. A long story's fold state is megabytes of JSON (30,000 developments: about
 * 2 MB), and every save of one went through pglz and into the WAL, the same WAL every append's
 * commit waits to flush.
 *
 * - lz4: upserting a 3.4 MB state took PostgreSQL 127 ms with pglz, 38 ms with lz4 (2026-12-03).
 * - Unlogged: the table is a cache of derived data. Each snapshot is checked against the hash of
 *   the event it ends at, the events are the record, and a story without a snapshot is folded
 *   from its stream. After a crash PostgreSQL empties an unlogged table, and a standby has none:
 *   the first write to each long story then folds its stream and takes a new snapshot. In
 *   exchange no snapshot is written to the WAL (or shipped to replicas and backups): 32 editors on
 *   one story for 11 s (33,000 developments) wrote 84 MB of WAL with snapshots every 1,000 events,
 *   logged, and 55 MB with this migration and the wider spacing of long stories' snapshots
 *   (`snapshotDue` in StoryFoldSnapshots).
 *
 * SET UNLOGGED rewrites the table (its rows are at most one per long story); rows already stored
 * keep pglz until their story's next snapshot replaces them, and both read back the same.
 */
export class StoryFoldSnapshotsUnloggedLz41764001900000 implements MigrationInterface {
  name = 'StoryFoldSnapshotsUnloggedLz41764001900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DO $$ BEGIN
         ALTER TABLE api.story_fold_snapshots ALTER COLUMN state SET COMPRESSION lz4;
       EXCEPTION WHEN feature_not_supported THEN NULL;
       END $$`,
    );
    await queryRunner.query(`ALTER TABLE api.story_fold_snapshots SET UNLOGGED`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api.story_fold_snapshots SET LOGGED`);
    await queryRunner.query(`ALTER TABLE api.story_fold_snapshots ALTER COLUMN state SET COMPRESSION pglz`);
  }
}
