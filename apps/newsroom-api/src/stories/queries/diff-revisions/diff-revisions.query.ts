import { compare, type Operation } from 'fast-json-patch';
import { describeChanges, type Queryable, READ_MODEL_SCHEMA } from '@newsroom/read-models';
import { InvalidQuery } from '../../../shared/http/edge-errors';
import { JsonBody } from '../../../shared/http/json-body';
import { diffKey, type RevisionCache } from '../revision-cache';
import { type RevisionSnapshots } from '../revision-snapshots';

export interface RevisionDiff {
  readonly from: number;
  readonly to: number;
  /** RFC 6902: applied to the snapshot at `from`, gives the snapshot at `to`. */
  readonly patch: Operation[];
  /** The same difference as lines a person can read. */
  readonly changes: string[];
}

/** A diff's answer: the story's head (for X-Read-Model-Revision) and the body. */
export interface DiffAnswer {
  readonly head: number;
  readonly body: JsonBody;
}

/**
 * What changed between any two revisions, adjacent or not, in either direction. The head is read
 * first and both revisions are judged against it; the two revisions never change after that, so
 * the body (`JSON.stringify` of a RevisionDiff) is cached whole.
 */
export async function diffRevisions(
  db: Queryable,
  snapshots: RevisionSnapshots,
  cache: RevisionCache,
  storyId: string,
  from: number,
  to: number,
): Promise<DiffAnswer | undefined> {
  const [row] = await db.query<{ revision: number }[]>(`SELECT revision FROM ${READ_MODEL_SCHEMA}.stories WHERE story_id = $1`, [storyId]);
  if (!row) return undefined;
  const head = row.revision;
  const missing = [
    ...(from <= head ? [] : [{ path: 'query.from', message: `revision ${from} does not exist; the story is at revision ${head}` }]),
    ...(to <= head ? [] : [{ path: 'query.to', message: `revision ${to} does not exist; the story is at revision ${head}` }]),
  ];
  if (missing.length > 0) throw new InvalidQuery(missing);
  const key = diffKey(storyId, from, to);
  const held = cache.get(key);
  if (held !== undefined) return { head, body: held };
  const rebuilt = await snapshots.objects(storyId, [from, to]);
  const before = rebuilt.get(from);
  const after = rebuilt.get(to);
  if (!before || !after) throw new Error(`Story ${storyId}: revisions ${from} and ${to} are at or below its head but were not rebuilt`);
  const diff: RevisionDiff = { from, to, patch: compare(before, after), changes: describeChanges(before, after) };
  const body = new JsonBody(JSON.stringify(diff));
  cache.set(key, body);
  return { head, body };
}
