import { applyPatch, type Operation } from 'fast-json-patch';
import { assertSchemaName } from '../schema/read-model.ddl';
import { type StorySnapshot } from '../story-snapshot';
import { type Queryable } from './queryable';

interface RevisionRow {
  revision: number;
  patch: Operation[];
  snapshot: StorySnapshot | null;
}

/**
 * The story exactly as it stood after `revision`: the nearest stored keyframe at or before it,
 * with the per-revision patches after it applied in order. Null when that revision does not exist.
 */
export async function snapshotAt(db: Queryable, schemaName: string, storyId: string, revision: number): Promise<StorySnapshot | null> {
  const s = assertSchemaName(schemaName);
  const rows = await db.query<RevisionRow[]>(
    `SELECT revision, patch, snapshot FROM ${s}.story_revisions
      WHERE story_id = $1 AND revision <= $2
        AND revision >= (SELECT max(revision) FROM ${s}.story_revisions WHERE story_id = $1 AND revision <= $2 AND snapshot IS NOT NULL)
      ORDER BY revision`,
    [storyId, revision],
  );
  const [keyframe, ...rest] = rows;
  if (!keyframe?.snapshot || rows.at(-1)?.revision !== revision) return null;
  let snapshot = keyframe.snapshot;
  for (const row of rest) snapshot = applyPatch(snapshot, row.patch, false, false).newDocument;
  return snapshot;
}
