import { applyPatch, type Operation } from 'fast-json-patch';
import { assertSchemaName } from '../schema/read-model.ddl';
import { type StorySnapshot } from '../story-snapshot';
import { type Queryable } from './queryable';
import { type CommittedStory } from './story-state-cache';

interface RevisionRow {
  revision: number;
  patch: Operation[];
  /** Only on the keyframe each wanted revision is rebuilt from; null on every other row. */
  snapshot: StorySnapshot | null;
}

/**
 * The story exactly as it stood after `revision`: the nearest stored keyframe at or before it,
 * with the per-revision patches after it applied in order. Null when that revision does not
 * exist. The object is the caller's own (nothing else holds it).
 */
export async function snapshotAt(db: Queryable, schemaName: string, storyId: string, revision: number): Promise<StorySnapshot | null> {
  return (await snapshotsAt(db, schemaName, storyId, [revision])).get(revision) ?? null;
}

/**
 * Several revisions of one story in one statement: for each, the rows from the nearest keyframe
 * at or before it up to it (rows two revisions share are read once, and only the keyframes a
 * rebuild starts from bring their snapshot, though every row carries one column for it). Revisions that do not exist are absent from the map.
 * Each object is the caller's own, not shared with another entry.
 *
 * The keyframe and patches come freshly parsed from the rows, so they are patched in place:
 * fast-json-patch's default copies the whole document before every patch, which cost more than
 * everything else in a rebuild of one revision. Works with `patch` and `snapshot` stored as jsonb
 * or json: both are read whole.
 */
export async function snapshotsAt(db: Queryable, schemaName: string, storyId: string, revisions: readonly number[]): Promise<Map<number, StorySnapshot>> {
  const s = assertSchemaName(schemaName);
  const wanted = [...new Set(revisions)].filter((r) => Number.isInteger(r) && r >= 1).sort((a, b) => a - b);
  const found = new Map<number, StorySnapshot>();
  if (wanted.length === 0) return found;
  // For each wanted revision, the span of rows from its keyframe up to it, starting after the
  // previous wanted revision when both rebuild from the same keyframe (those rows are read once).
  const rows = await db.query<RevisionRow[]>(
    `WITH wanted AS MATERIALIZED (
       SELECT w.revision,
              (SELECT k.revision FROM ${s}.story_revisions k
                WHERE k.story_id = $1 AND k.revision <= w.revision AND k.snapshot IS NOT NULL
                ORDER BY k.revision DESC LIMIT 1) AS keyframe
         FROM unnest($2::integer[]) AS w(revision)
     ), spans AS (
       SELECT keyframe, revision, GREATEST(keyframe, COALESCE(lag(revision) OVER (ORDER BY revision), 0) + 1) AS first FROM wanted
     )
     SELECT r.revision, r.patch, CASE WHEN r.revision = spans.keyframe THEN r.snapshot END AS snapshot
       FROM spans
       CROSS JOIN LATERAL (
         SELECT revision, patch, snapshot FROM ${s}.story_revisions
          WHERE story_id = $1 AND revision BETWEEN spans.first AND spans.revision
       ) r
      ORDER BY r.revision`,
    [storyId, wanted],
  );
  const want = new Set(wanted);
  let doc: StorySnapshot | null = null;
  let previous = 0;
  for (const [i, row] of rows.entries()) {
    if (row.snapshot) doc = row.snapshot;
    else if (doc && row.revision === previous + 1) doc = applyPatch(doc, row.patch, false, true).newDocument;
    else doc = null; // a gap in the stored revisions: nothing after it can be rebuilt from here
    previous = row.revision;
    if (!doc || !want.has(row.revision)) continue;
    const next = rows[i + 1];
    // The next rows carry on from this document unless they start again from a keyframe.
    const sharedOnward = next !== undefined && !next.snapshot && next.revision === row.revision + 1;
    found.set(row.revision, sharedOnward ? structuredClone(doc) : doc);
  }
  return found;
}

interface StateRow {
  story_id: string;
  revision: number;
  patch: string;
  /** The keyframe's text on the first row of each story; null on the others. */
  snapshot: string | null;
}

/**
 * The current state of each of `storyIds` (those the read models have), read from the newest
 * keyframe of each with the patches after it applied: the `stories` row keeps no snapshot, so
 * that a write costs what the change costs, not what the story weighs (migration 1764001600000).
 * The revisions table holds a story's rows up to exactly the revision its `stories` row is at
 * (both are written by the same statement), so its newest row is the story's current state.
 *
 * `jsonLength` is an estimate for a cache's budget, not a byte count: the keyframe's text length
 * plus every patch's after it (replaced text counts twice, removed text is not subtracted; it
 * starts exact again at the next keyframe).
 */
export async function currentStates(db: Queryable, schemaName: string, storyIds: readonly string[]): Promise<Map<string, CommittedStory>> {
  const s = assertSchemaName(schemaName);
  const found = new Map<string, CommittedStory>();
  if (storyIds.length === 0) return found;
  const rows = await db.query<StateRow[]>(
    `SELECT r.story_id, r.revision, r.patch::text AS patch, CASE WHEN r.revision = k.keyframe THEN r.snapshot::text END AS snapshot
       FROM unnest($1::uuid[]) AS w(story_id)
       CROSS JOIN LATERAL (
         SELECT max(revision) AS keyframe FROM ${s}.story_revisions WHERE story_id = w.story_id AND snapshot IS NOT NULL
       ) k
       JOIN ${s}.story_revisions r ON r.story_id = w.story_id AND r.revision >= k.keyframe
      ORDER BY r.story_id, r.revision`,
    [[...new Set(storyIds)]],
  );
  let story: { id: string; doc: StorySnapshot; jsonLength: number; revision: number } | null = null;
  const keep = (): void => {
    if (story) found.set(story.id, { snapshot: story.doc, jsonLength: story.jsonLength });
  };
  for (const row of rows) {
    if (row.snapshot !== null) {
      keep();
      story = { id: row.story_id, doc: JSON.parse(row.snapshot) as StorySnapshot, jsonLength: row.snapshot.length, revision: row.revision };
    } else if (story && story.id === row.story_id && row.revision === story.revision + 1) {
      story.doc = applyPatch(story.doc, JSON.parse(row.patch) as Operation[], false, true).newDocument;
      story.jsonLength += row.patch.length;
      story.revision = row.revision;
    } else {
      throw new Error(`Story ${row.story_id}: revision ${row.revision} does not follow its keyframe's rows; the read model has a gap`);
    }
  }
  keep();
  return found;
}
