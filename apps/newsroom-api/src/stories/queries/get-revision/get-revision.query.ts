import { type Queryable, READ_MODEL_SCHEMA, snapshotAt, type StorySnapshot } from '@newsroom/read-models';
import { RevisionNotFound } from '../../../shared/http/edge-errors';
import { type StoryHead } from '../story-reader';

export interface RevisionDetail {
  readonly revision: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly recordedAt: string;
  readonly editorId: string;
  readonly reason: string | null;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly summary: string;
  /** What this revision changed against the one before, as lines a person can read. */
  readonly changes: string[];
  /** The story exactly as it stood after this revision. */
  readonly snapshot: StorySnapshot;
}

interface Row {
  revision: number;
  event_id: string;
  event_type: string;
  recorded_at: Date;
  editor_id: string;
  reason: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  summary: string;
  changes: string[];
}

export async function getRevision(db: Queryable, head: StoryHead, revision: number): Promise<RevisionDetail> {
  const [row] = await db.query<Row[]>(
    `SELECT revision, event_id, event_type, recorded_at, editor_id, reason, correlation_id, causation_id, summary, changes
       FROM ${READ_MODEL_SCHEMA}.story_revisions WHERE story_id = $1 AND revision = $2`,
    [head.storyId, revision],
  );
  const snapshot = row ? await snapshotAt(db, READ_MODEL_SCHEMA, head.storyId, revision) : null;
  if (!row || !snapshot) throw new RevisionNotFound(`The story has no revision ${revision}; it is at revision ${head.revision}.`);
  return {
    revision: row.revision,
    eventId: row.event_id,
    eventType: row.event_type,
    recordedAt: row.recorded_at.toISOString(),
    editorId: row.editor_id,
    reason: row.reason,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    summary: row.summary,
    changes: row.changes,
    snapshot,
  };
}
