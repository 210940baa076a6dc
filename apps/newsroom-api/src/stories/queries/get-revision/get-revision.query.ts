import { type Queryable, READ_MODEL_SCHEMA, type StorySnapshot } from '@newsroom/read-models';
import { RevisionNotFound } from '../../../shared/http/edge-errors';
import { JsonBody } from '../../../shared/http/json-body';
import { isoInstant } from '../../../shared/sql/iso-instant';
import { detailKey, type RevisionCache } from '../revision-cache';
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
  recorded_text: string;
  editor_id: string;
  reason: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  summary: string;
  changes: string[];
}

/** A revision's answer: the story's head (for X-Read-Model-Revision) and the body. */
export interface RevisionAnswer {
  readonly head: number;
  /** Null when the caller did not want the body (it holds this revision already). */
  readonly body: JsonBody | null;
}

/**
 * One statement reads the story's head and, unless the answer is held already (or not wanted),
 * the revision's row with it, so "no such revision" is judged against the head it names. A story's
 * revisions are numbered 1 to its head without gaps (the projection refuses a gap), so a held or
 * unwanted body needs the head only. Otherwise the body is made from the row and the snapshot
 * (cached or rebuilt): `JSON.stringify` of a RevisionDetail, with the snapshot's bytes (its last
 * key) spliced in as they are rather than parsed and serialised again.
 */
export async function getRevision(
  db: Queryable,
  snapshots: RevisionSnapshots,
  cache: RevisionCache,
  storyId: string,
  revision: number,
  wantBody: boolean,
): Promise<RevisionAnswer | undefined> {
  const key = detailKey(storyId, revision);
  const held = wantBody ? cache.get(key) : undefined;
  if (!wantBody || held !== undefined) {
    const [story] = await db.query<{ head: number }[]>(`SELECT revision AS head FROM ${READ_MODEL_SCHEMA}.stories WHERE story_id = $1`, [storyId]);
    if (!story) return undefined;
    if (revision > story.head) throw noSuchRevision(revision, story.head);
    return { head: story.head, body: held ?? null };
  }
  const [row] = await db.query<Row[]>(
    `SELECT s.revision AS head, r.revision, r.event_id, r.event_type, ${isoInstant('r.recorded_at')} AS recorded_text, r.editor_id, r.reason,
            r.correlation_id, r.causation_id, r.summary, r.changes
       FROM ${READ_MODEL_SCHEMA}.stories s
       LEFT JOIN ${READ_MODEL_SCHEMA}.story_revisions r ON r.story_id = s.story_id AND r.revision = $2
      WHERE s.story_id = $1`,
    [storyId, revision],
  );
  if (!row) return undefined;
  if (row.revision === null) throw noSuchRevision(revision, row.head);
  const detail: Omit<RevisionDetail, 'snapshot'> = {
    revision: row.revision,
    eventId: row.event_id,
    eventType: row.event_type,
    recordedAt: row.recorded_text,
    editorId: row.editor_id,
    reason: row.reason,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    summary: row.summary,
    changes: row.changes,
  };
  const snapshot = await snapshots.json(storyId, revision, { keep: false });
  const body = new JsonBody(Buffer.concat([Buffer.from(`${JSON.stringify(detail).slice(0, -1)},"snapshot":`), snapshot.bytes, CLOSE_BRACE]));
  cache.set(key, body);
  return { head: row.head, body };
}

const CLOSE_BRACE = Buffer.from('}');

const noSuchRevision = (revision: number, head: number): RevisionNotFound => new RevisionNotFound(`The story has no revision ${revision}; it is at revision ${head}.`);
