import { type Queryable, READ_MODEL_SCHEMA } from '@newsroom/read-models';
import { type Page, toPage } from '../../../shared/http/keyset-cursor';

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
  revision: number;
  event_type: string;
  recorded_at: Date;
  editor_id: string;
  reason: string | null;
  summary: string;
}

/** A story's revisions, newest first, keyset-paged on the revision (immutable, so pages never shift). */
export async function listRevisions(db: Queryable, storyId: string, limit: number, before: number | undefined): Promise<Page<RevisionListItem>> {
  const rows = await db.query<Row[]>(
    `SELECT revision, event_type, recorded_at, editor_id, reason, summary
       FROM ${READ_MODEL_SCHEMA}.story_revisions
      WHERE story_id = $1 AND ($2::integer IS NULL OR revision < $2::integer)
      ORDER BY revision DESC
      LIMIT $3`,
    [storyId, before ?? null, limit + 1],
  );
  return toPage(
    rows,
    limit,
    (row) => ({
      revision: row.revision,
      eventType: row.event_type,
      recordedAt: row.recorded_at.toISOString(),
      editorId: row.editor_id,
      reason: row.reason,
      summary: row.summary,
    }),
    (row) => ({ k: 'revisions', r: row.revision }),
  );
}
