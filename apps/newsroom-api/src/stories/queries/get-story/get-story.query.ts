import { type Queryable, READ_MODEL_SCHEMA } from '@newsroom/read-models';
import { StoryNotYetOpened } from '../../../shared/http/edge-errors';
import { type JsonBody } from '../../../shared/http/json-body';
import { type RevisionSnapshots } from '../revision-snapshots';

/** The story as of an instant: the head of the story now, the revision that answers, and its body. */
export interface StoryAsOf {
  readonly head: number;
  readonly revision: number;
  readonly body: JsonBody;
}

interface Row {
  head: number;
  created_at: Date;
  revision: number | null;
}

/**
 * The story as it stood at `asOf`: the last revision recorded at or before that instant, rebuilt
 * exactly from the nearest keyframe and the patches after it (or held in the cache). One
 * statement finds the head and that revision together, so the revision never lies beyond the
 * head the answer states. Before the story was opened there is nothing to show: 404.
 */
export async function storyAsOf(db: Queryable, snapshots: RevisionSnapshots, storyId: string, asOf: string): Promise<StoryAsOf | undefined> {
  const [row] = await db.query<Row[]>(
    `SELECT s.revision AS head, s.created_at,
            (SELECT max(r.revision) FROM ${READ_MODEL_SCHEMA}.story_revisions r
              WHERE r.story_id = s.story_id AND r.recorded_at <= $2::timestamptz) AS revision
       FROM ${READ_MODEL_SCHEMA}.stories s
      WHERE s.story_id = $1`,
    [storyId, asOf],
  );
  if (!row) return undefined;
  if (row.revision === null) throw new StoryNotYetOpened(asOf, row.created_at.toISOString());
  return { head: row.head, revision: row.revision, body: await snapshots.json(storyId, row.revision) };
}
