import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `read_model.audit_log` becomes a view over `story_revisions`. The table held one row per event
 * with eight columns that every revision row already has (story, revision, event id and type,
 * editor, time, reason, correlation id), so each event was stored twice, with a key and three
 * indexes of its own: about a tenth of a rebuild's bytes and one more insert per projected event.
 * Its three indexes move to `story_revisions`, so the audit queries keep their index order.
 *
 * Down restores the table from the revisions (the same rows the projection wrote) and its indexes.
 * Running `up` again changes nothing. It ships with the projector that no longer writes audit
 * rows: an older projector left running would find its insert into the view refused (the
 * revisions' NOT NULL columns) and stop loudly at that batch, writing nothing, until replaced.
 * The index builds hold writes to `story_revisions` for as long as they take (seconds per million
 * revisions); the projector waits and carries on.
 */
export class AuditLogAsView1764001800000 implements MigrationInterface {
  name = 'AuditLogAsView1764001800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS story_revisions_audit_recorded_idx ON read_model.story_revisions (recorded_at, story_id, revision)`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS story_revisions_audit_editor_idx ON read_model.story_revisions (editor_id, recorded_at, story_id, revision)`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS story_revisions_audit_type_idx ON read_model.story_revisions (event_type, recorded_at, story_id, revision)`);
    // A database created after this change already has the view (1764000200000 runs today's DDL).
    await queryRunner.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass('read_model.audit_log') AND relkind = 'r') THEN
          DROP TABLE read_model.audit_log;
        END IF;
      END $$`);
    await queryRunner.query(`
      CREATE OR REPLACE VIEW read_model.audit_log AS
        SELECT story_id, revision, event_id, event_type, editor_id, recorded_at, reason, correlation_id
          FROM read_model.story_revisions`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW IF EXISTS read_model.audit_log`);
    await queryRunner.query(`
      CREATE TABLE read_model.audit_log (
        story_id         uuid        NOT NULL,
        revision         integer     NOT NULL,
        event_id         uuid        NOT NULL,
        event_type       text        NOT NULL,
        editor_id        text        NOT NULL,
        recorded_at      timestamptz NOT NULL,
        reason           text,
        correlation_id   text,
        CONSTRAINT audit_log_pk PRIMARY KEY (story_id, revision)
      )`);
    await queryRunner.query(`
      INSERT INTO read_model.audit_log (story_id, revision, event_id, event_type, editor_id, recorded_at, reason, correlation_id)
      SELECT story_id, revision, event_id, event_type, editor_id, recorded_at, reason, correlation_id FROM read_model.story_revisions`);
    await queryRunner.query(`CREATE INDEX audit_log_recorded_idx ON read_model.audit_log (recorded_at, story_id, revision)`);
    await queryRunner.query(`CREATE INDEX audit_log_editor_idx ON read_model.audit_log (editor_id, recorded_at, story_id, revision)`);
    await queryRunner.query(`CREATE INDEX audit_log_type_idx ON read_model.audit_log (event_type, recorded_at, story_id, revision)`);
    await queryRunner.query(`DROP INDEX IF EXISTS read_model.story_revisions_audit_recorded_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS read_model.story_revisions_audit_editor_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS read_model.story_revisions_audit_type_idx`);
  }
}
