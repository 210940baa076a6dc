import { type Queryable, READ_MODEL_SCHEMA, type StorySnapshot } from '@newsroom/read-models';
import { RevisionNotFound } from '../../../shared/http/edge-errors';
import { type RevisionSnapshots } from '../revision-snapshots';

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
  head: number;
  revision: number | null;
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

/** A revision's answer: the story's head (for X-Read-Model-Revision) and the body's JSON text. */
export interface RevisionAnswer {
  readonly head: number;
  /** Null when the caller did not want the body (it holds this revision already). */
  readonly json: string | null;
}

/**
 * One statement reads the story's head and the revision's row together (so "no such revision"
 * is judged against the head it names); the snapshot comes from the cache or is rebuilt. The body
 * is `JSON.stringify` of a RevisionDetail, with the snapshot's text (its last key) spliced in as
 * it is rather than parsed and serialised again.
 */
export async function getRevision(
  db: Queryable,
  snapshots: RevisionSnapshots,
  storyId: string,
  revision: number,
  wantBody: boolean,
): Promise<RevisionAnswer | undefined> {
  const [row] = await db.query<Row[]>(
    `SELECT s.revision AS head, r.revision, r.event_id, r.event_type, r.recorded_at, r.editor_id, r.reason,
            r.correlation_id, r.causation_id, r.summary, r.changes
       FROM ${READ_MODEL_SCHEMA}.stories s
       LEFT JOIN ${READ_MODEL_SCHEMA}.story_revisions r ON r.story_id = s.story_id AND r.revision = $2
      WHERE s.story_id = $1`,
    [storyId, revision],
  );
  if (!row) return undefined;
  if (row.revision === null) throw new RevisionNotFound(`The story has no revision ${revision}; it is at revision ${row.head}.`);
  if (!wantBody) return { head: row.head, json: null };
  const detail: Omit<RevisionDetail, 'snapshot'> = {
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
  };
  const snapshot = await snapshots.json(storyId, revision);
  return { head: row.head, json: `${JSON.stringify(detail).slice(0, -1)},"snapshot":${snapshot}}` };
}
