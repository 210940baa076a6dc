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

export function readModelDdl(schemaName: string): string[] {
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
       snapshot    jsonb       NOT NULL,
       -- headline and summary; each development's text is indexed on its own row
       search      tsvector    NOT NULL,
       CONSTRAINT stories_pk PRIMARY KEY (story_id)
     )`,
    `CREATE INDEX stories_updated_idx ON ${s}.stories (updated_at DESC, story_id DESC)`,
    `CREATE INDEX stories_desk_updated_idx ON ${s}.stories (desk, updated_at DESC, story_id DESC)`,
    `CREATE INDEX stories_status_updated_idx ON ${s}.stories (status, updated_at DESC, story_id DESC)`,
    `CREATE INDEX stories_search_idx ON ${s}.stories USING gin (search)`,
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
       changes        jsonb       NOT NULL,
       patch          jsonb       NOT NULL,
       snapshot       jsonb,
       hash           text        NOT NULL,
       prev_hash      text        NOT NULL,
       CONSTRAINT story_revisions_pk PRIMARY KEY (story_id, revision)
     )`,
    `CREATE INDEX story_revisions_recorded_idx ON ${s}.story_revisions (story_id, recorded_at, revision)`,
    // Where a past revision's rebuild starts (migration 1764000700000).
    `CREATE INDEX story_revisions_keyframes_idx ON ${s}.story_revisions (story_id, revision) WHERE snapshot IS NOT NULL`,
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
       CONSTRAINT developments_pk PRIMARY KEY (story_id, development_id)
     )`,
    `CREATE INDEX developments_search_idx ON ${s}.developments USING gin (search)`,
    `CREATE INDEX developments_story_occurred_idx ON ${s}.developments (story_id, (COALESCE(occurred_at, recorded_at)), revision)`,
    `CREATE INDEX developments_story_revision_idx ON ${s}.developments (story_id, revision)`,
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
    `CREATE INDEX claims_story_revision_idx ON ${s}.claims (story_id, revision)`,
    `CREATE TABLE ${s}.claim_history (
       story_id       uuid        NOT NULL,
       claim_id       uuid        NOT NULL,
       revision       integer     NOT NULL,
       status         text        NOT NULL,
       at             timestamptz NOT NULL,
       editor_id      text        NOT NULL,
       development_id uuid,
       attribution    jsonb,
       reason         text,
       CONSTRAINT claim_history_pk PRIMARY KEY (story_id, claim_id, revision)
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
       editor_id      text        NOT NULL,
       CONSTRAINT corrections_pk PRIMARY KEY (story_id, correction_id)
     )`,
    `CREATE INDEX corrections_issued_idx ON ${s}.corrections (issued_at DESC, story_id DESC, revision DESC)`,
    `CREATE TABLE ${s}.audit_log (
       story_id         uuid        NOT NULL,
       revision         integer     NOT NULL,
       event_id         uuid        NOT NULL,
       event_type       text        NOT NULL,
       editor_id        text        NOT NULL,
       recorded_at      timestamptz NOT NULL,
       reason           text,
       correlation_id   text,
       CONSTRAINT audit_log_pk PRIMARY KEY (story_id, revision)
     )`,
    `CREATE INDEX audit_log_recorded_idx ON ${s}.audit_log (recorded_at, story_id, revision)`,
    `CREATE INDEX audit_log_editor_idx ON ${s}.audit_log (editor_id, recorded_at, story_id, revision)`,
    `CREATE INDEX audit_log_type_idx ON ${s}.audit_log (event_type, recorded_at, story_id, revision)`,
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
  ];
}
