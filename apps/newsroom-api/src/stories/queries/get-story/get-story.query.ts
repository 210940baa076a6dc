import { type Queryable, READ_MODEL_SCHEMA, snapshotAt, type StorySnapshot } from '@newsroom/read-models';
import { StoryNotYetOpened } from '../../../shared/http/edge-errors';
import { type StoryHead } from '../story-reader';

/**
 * The story as it stood at `asOf`: the last revision recorded at or before that instant, rebuilt
 * exactly from the nearest keyframe and the patches after it. Before the story was opened there
 * is nothing to show: 404.
 */
export async function storyAsOf(db: Queryable, head: StoryHead, asOf: string): Promise<StorySnapshot> {
  const [row] = await db.query<{ revision: number | null }[]>(
    `SELECT max(revision) AS revision FROM ${READ_MODEL_SCHEMA}.story_revisions WHERE story_id = $1 AND recorded_at <= $2::timestamptz`,
    [head.storyId, asOf],
  );
  const revision = row?.revision ?? null;
  if (revision === null) throw new StoryNotYetOpened(asOf, head.createdAt.toISOString());
  const snapshot = await snapshotAt(db, READ_MODEL_SCHEMA, head.storyId, revision);
  if (!snapshot) throw new Error(`Story ${head.storyId}: revision ${revision} is listed but cannot be rebuilt`);
  return snapshot;
}
