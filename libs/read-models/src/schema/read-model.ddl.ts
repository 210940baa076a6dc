/**
 * The read-model tables, as DDL for a given schema. The migration creates them in `read_model`;
 * a rebuild creates the same tables in a fresh schema, fills them from the log and swaps the two
 * schemas in one transaction. Any later change to these tables needs both a migration and an
 * edit here, so that a rebuild produces what the migrations produce.
 */
export const READ_MODEL_SCHEMA = 'read_model';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!IDENTIFIER.test(schema)) throw new Error(`Not a safe schema name: ${schema}`);
  return schema;
}

export function readModelTableDdl(schemaName: string): string[] {
  const s = assertSchemaName(schemaName);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE ${s}.stories (
       story_id    uuid        NOT NULL,
       slug        text        NOT NULL,
       headline    text        NOT NULL,
       summary     text,
       desk        text        NOT NULL,
       language    text        NOT NULL,
       status      text        NOT NULL,
       revision    integer     NOT NULL,
       created_at  timestamptz NOT NULL,
       updated_at  timestamptz NOT NULL,
       -- No snapshot: the story is its newest keyframe in story_revisions and the patches after it (migration 1764001600000).
       -- headline and summary; each development's text is indexed on its own row
       search      tsvector    NOT NULL,
       CONSTRAINT stories_pk PRIMARY KEY (story_id)
     )`,
    `CREATE TABLE ${s}.story_revisions (
       story_id       uuid        NOT NULL,
       revision       integer     NOT NULL,
       event_id       uuid        NOT NULL,
       event_type     text        NOT NULL,
       recorded_at    timestamptz NOT NULL,
       editor_id      text        NOT NULL,
       reason         text,
       correlation_id text,
       causation_id   text,
       summary        text        NOT NULL,
       changes        json        NOT NULL,
       patch          json        NOT NULL,
       snapshot       json,
       hash           text        NOT NULL,
       prev_hash      text        NOT NULL
     )`,
    // lz4 where the server has it (cheaper to write and read than the default pglz); a server built without it keeps pglz.
    `DO $$ BEGIN
       ALTER TABLE ${s}.story_revisions ALTER COLUMN changes SET COMPRESSION lz4, ALTER COLUMN patch SET COMPRESSION lz4,
         ALTER COLUMN snapshot SET COMPRESSION lz4;
     EXCEPTION WHEN feature_not_supported THEN NULL;
     END $$`,
    `CREATE TABLE ${s}.developments (
       story_id              uuid        NOT NULL,
       development_id        uuid        NOT NULL,
       kind                  text        NOT NULL,
       text                  text        NOT NULL,
       original_text         text,
       occurred_at           timestamptz,
       occurred_at_precision text,
       occurred_at_label     text,
       location              text,
       attribution           jsonb       NOT NULL,
       quote                 text,
       source_ids            jsonb       NOT NULL,
       recorded_at           timestamptz NOT NULL,
       recorded_by           text        NOT NULL,
       revision              integer     NOT NULL,
       status                text        NOT NULL,
       retracted_at          timestamptz,
       retraction_reason     text,
       search                tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
       -- occurred_at as the editor logged it ("2025-03-14" stays a date); migration 1764001600000
       occurred_at_as_logged text,
       CONSTRAINT developments_pk PRIMARY KEY (story_id, development_id)
     )`,
    `CREATE TABLE ${s}.claims (
       story_id       uuid        NOT NULL,
       claim_id       uuid        NOT NULL,
       text           text        NOT NULL,
       original_text  text,
       status         text        NOT NULL,
       development_id uuid        NOT NULL,
       reported_at    timestamptz NOT NULL,
       updated_at     timestamptz NOT NULL,
       revision       integer     NOT NULL,
       CONSTRAINT claims_pk PRIMARY KEY (story_id, claim_id)
     )`,
    `CREATE TABLE ${s}.claim_history (
       story_id       uuid        NOT NULL,
       claim_id       uuid        NOT NULL,
       revision       integer     NOT NULL,
       status         text        NOT NULL,
       at             timestamptz NOT NULL,
       editor_id      text        NOT NULL,
       development_id uuid,
       attribution    jsonb,
       reason         text
     )`,
    `CREATE TABLE ${s}.sources (
       story_id   uuid        NOT NULL,
       source_id  uuid        NOT NULL,
       url        text        NOT NULL,
       publisher  text        NOT NULL,
       title      text,
       cited_at   timestamptz NOT NULL,
       revision   integer     NOT NULL,
       CONSTRAINT sources_pk PRIMARY KEY (story_id, source_id)
     )`,
    `CREATE TABLE ${s}.corrections (
       correction_id  text        NOT NULL,
       story_id       uuid        NOT NULL,
       revision       integer     NOT NULL,
       target_type    text        NOT NULL,
       target_id      text,
       kind           text        NOT NULL,
       note           text        NOT NULL,
       corrected_text text,
       issued_at      timestamptz NOT NULL,
       editor_id      text        NOT NULL
     )`,
    `CREATE TABLE ${s}.projection_checkpoints (
       projection        text        NOT NULL,
       position_commit   bigint      NOT NULL,
       position_prepare  bigint      NOT NULL,
       events_processed  bigint      NOT NULL DEFAULT 0,
       last_recorded_at  timestamptz,
       updated_at        timestamptz NOT NULL DEFAULT now(),
       status            text        NOT NULL DEFAULT 'running',
       error             text,
       failed_event_id   uuid,
       CONSTRAINT projection_checkpoints_pk PRIMARY KEY (projection),
       CONSTRAINT projection_checkpoints_status_ck CHECK (status IN ('running', 'failed'))
     )`,
    // Who changed what, when and why, across stories: the revisions' own columns, so an event is
    // stored once (migration 1764001800000; it was a table holding a copy of these columns).
    `CREATE VIEW ${s}.audit_log AS
       SELECT story_id, revision, event_id, event_type, editor_id, recorded_at, reason, correlation_id
         FROM ${s}.story_revisions`,
  ];
}

/**
 * The keys of the append-only tables and every secondary index. A rebuild's bulk load creates
 * them after the rows are in (one sort per index instead of an index insertion per row); the
 * tables they index must be created first by readModelTableDdl.
 */
export function readModelIndexDdl(schemaName: string): string[] {
  const s = assertSchemaName(schemaName);
  return [
    `ALTER TABLE ${s}.story_revisions ADD CONSTRAINT story_revisions_pk PRIMARY KEY (story_id, revision)`,
    `ALTER TABLE ${s}.claim_history ADD CONSTRAINT claim_history_pk PRIMARY KEY (story_id, claim_id, revision)`,
    `ALTER TABLE ${s}.corrections ADD CONSTRAINT corrections_pk PRIMARY KEY (story_id, correction_id)`,
    `CREATE INDEX stories_updated_idx ON ${s}.stories (updated_at DESC, story_id DESC)`,
    `CREATE INDEX stories_desk_updated_idx ON ${s}.stories (desk, updated_at DESC, story_id DESC)`,
    `CREATE INDEX stories_status_updated_idx ON ${s}.stories (status, updated_at DESC, story_id DESC)`,
    `CREATE INDEX stories_search_idx ON ${s}.stories USING gin (search)`,
    `CREATE INDEX story_revisions_recorded_idx ON ${s}.story_revisions (story_id, recorded_at, revision)`,
    // Where a past revision's rebuild starts (migration 1764000700000).
    `CREATE INDEX story_revisions_keyframes_idx ON ${s}.story_revisions (story_id, revision) WHERE snapshot IS NOT NULL`,
    `CREATE INDEX developments_search_idx ON ${s}.developments USING gin (search)`,
    `CREATE INDEX developments_story_occurred_idx ON ${s}.developments (story_id, (COALESCE(occurred_at, recorded_at)), revision)`,
    `CREATE INDEX developments_story_revision_idx ON ${s}.developments (story_id, revision)`,
    `CREATE INDEX claims_story_revision_idx ON ${s}.claims (story_id, revision)`,
    `CREATE INDEX corrections_issued_idx ON ${s}.corrections (issued_at DESC, story_id DESC, revision DESC)`,
    // The audit log's orders (audit_log is a view over story_revisions): newest first across
    // stories, alone or for one editor or one event type.
    `CREATE INDEX story_revisions_audit_recorded_idx ON ${s}.story_revisions (recorded_at, story_id, revision)`,
    `CREATE INDEX story_revisions_audit_editor_idx ON ${s}.story_revisions (editor_id, recorded_at, story_id, revision)`,
    `CREATE INDEX story_revisions_audit_type_idx ON ${s}.story_revisions (event_type, recorded_at, story_id, revision)`,
  ];
}

/** Every table and index, as the migration creates them. */
export function readModelDdl(schemaName: string): string[] {
  return [...readModelTableDdl(schemaName), ...readModelIndexDdl(schemaName)];
}
