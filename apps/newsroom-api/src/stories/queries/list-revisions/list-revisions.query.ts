import { type Queryable, READ_MODEL_SCHEMA } from '@newsroom/read-models';
import { type Page, toPage } from '../../../shared/http/keyset-cursor';
import { isoInstant } from '../../../shared/sql/iso-instant';

export interface RevisionListItem {
  readonly revision: number;
  readonly eventType: string;
  readonly recordedAt: string;
  readonly editorId: string;
  readonly reason: string | null;
  /** One human sentence: who did what. */
  readonly summary: string;
}

interface Row {
  head: number;
  revision: number | null;
  event_type: string;
  recorded_text: string;
  editor_id: string;
  reason: string | null;
  summary: string;
}

/**
 * A story's revisions, newest first, keyset-paged on the revision (immutable, so pages never
 * shift). One statement reads the story's head (for X-Read-Model-Revision) with the page, so both
 * come from the same projected batch; undefined when there is no such story.
 */
export async function listRevisions(
  db: Queryable,
  storyId: string,
  limit: number,
  before: number | undefined,
): Promise<{ head: number; page: Page<RevisionListItem> } | undefined> {
  const rows = await db.query<Row[]>(
    `SELECT s.revision AS head, r.revision, r.event_type, r.recorded_text, r.editor_id, r.reason, r.summary
       FROM ${READ_MODEL_SCHEMA}.stories s
       LEFT JOIN LATERAL (
         SELECT revision, event_type, ${isoInstant('recorded_at')} AS recorded_text, editor_id, reason, summary
           FROM ${READ_MODEL_SCHEMA}.story_revisions
          WHERE story_id = s.story_id AND ($2::integer IS NULL OR revision < $2::integer)
          ORDER BY revision DESC
          LIMIT $3
       ) r ON true
      WHERE s.story_id = $1
      ORDER BY r.revision DESC`,
    [storyId, before ?? null, limit + 1],
  );
  const [first] = rows;
  if (!first) return undefined;
  // A page past the oldest revision is one row of the story alone.
  const revisions = rows.filter((row): row is Row & { revision: number } => row.revision !== null);
  const page = toPage(
    revisions,
    limit,
    (row) => ({
      revision: row.revision,
      eventType: row.event_type,
      recordedAt: row.recorded_text,
      editorId: row.editor_id,
      reason: row.reason,
      summary: row.summary,
    }),
    (row) => ({ k: 'revisions', r: row.revision }),
  );
  return { head: first.head, page };
}
