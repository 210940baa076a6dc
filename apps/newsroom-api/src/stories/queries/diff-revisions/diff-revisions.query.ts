import { compare, type Operation } from 'fast-json-patch';
import { describeChanges, type Queryable, READ_MODEL_SCHEMA, snapshotAt } from '@newsroom/read-models';
import { InvalidQuery } from '../../../shared/http/edge-errors';
import { type StoryHead } from '../story-reader';

export interface RevisionDiff {
  readonly from: number;
  readonly to: number;
  /** RFC 6902: applied to the snapshot at `from`, gives the snapshot at `to`. */
  readonly patch: Operation[];
  /** The same difference as lines a person can read. */
  readonly changes: string[];
}

/** What changed between any two revisions, adjacent or not, in either direction. */
export async function diffRevisions(db: Queryable, head: StoryHead, from: number, to: number): Promise<RevisionDiff> {
  const before = await snapshotAt(db, READ_MODEL_SCHEMA, head.storyId, from);
  const after = await snapshotAt(db, READ_MODEL_SCHEMA, head.storyId, to);
  const missing = [
    ...(before ? [] : [{ path: 'query.from', message: `revision ${from} does not exist; the story is at revision ${head.revision}` }]),
    ...(after ? [] : [{ path: 'query.to', message: `revision ${to} does not exist; the story is at revision ${head.revision}` }]),
  ];
  if (!before || !after) throw new InvalidQuery(missing);
  return { from, to, patch: compare(before, after), changes: describeChanges(before, after) };
}
