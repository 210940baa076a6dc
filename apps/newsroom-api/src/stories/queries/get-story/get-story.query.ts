import { type Queryable, READ_MODEL_SCHEMA } from '@newsroom/read-models';
import { StoryNotYetOpened } from '../../../shared/http/edge-errors';
import { type JsonBody } from '../../../shared/http/json-body';
import { type RevisionSnapshots } from '../revision-snapshots';

/** The current story: its revision, which is also its body's. */
export interface CurrentStory {
  readonly revision: number;
  readonly body: JsonBody;
}

/**
 * The story now: the revision its `stories` row is at, and the story at that revision, rebuilt
 * from the newest keyframe and the patches after it (or held in the cache, under the same key as
 * `revisions/{n}`: a revision's story is the same whichever way it is asked for). The row keeps no
 * snapshot (migration 1764001600000): a write then costs what the change costs. A cached story
 * costs one index lookup.
 */
export async function currentStory(db: Queryable, snapshots: RevisionSnapshots, storyId: string): Promise<CurrentStory | undefined> {
  const [row] = await db.query<{ revision: number }[]>(`SELECT revision FROM ${READ_MODEL_SCHEMA}.stories WHERE story_id = $1`, [storyId]);
  if (!row) return undefined;
  return { revision: row.revision, body: await snapshots.json(storyId, row.revision) };
}

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
