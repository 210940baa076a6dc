import { type ChainBreak, StoryNotFound, storyStreamId, verifyChain } from '@newsroom/domain';
import { type EventStore, type RecordedEvent } from '@newsroom/event-store';
import { type Queryable, READ_MODEL_SCHEMA } from '@newsroom/read-models';
import { readStoryStream, storyRevisionOf } from '../story-stream';

/**
 * How the log disagrees with the read model's copy of its hashes, which the chain alone cannot show:
 * events cut from the end of the stream (or the whole stream), or events rewritten with every later
 * hash recomputed so the chain still links.
 */
export type CopyBreak = 'missing_from_log' | 'differs_from_read_model';

export type ChainReport =
  | {
      readonly valid: true;
      /** The story revision verified up to (1-based): every event of the stream. */
      readonly revision: number;
      /** The recomputed hash of the last event. */
      readonly headHash: string;
      /** Revisions whose hash also matched the read model's copy (1..crossChecked); the copy can lag the log. */
      readonly crossChecked: number;
    }
  | {
      readonly valid: false;
      /** The story revision the stream is at (1-based): how many events it holds. */
      readonly revision: number;
      readonly headHash: null;
      /** 1-based story revision of the first event that does not verify; every one before it does. */
      readonly firstInvalidRevision: number;
      readonly reason: ChainBreak | CopyBreak;
    };

export interface RevisionHash {
  readonly revision: number;
  readonly hash: string;
}

/**
 * Compares the log's hashes (index i = revision i + 1) with the read model's copy. The first
 * revision the copy holds that the log lacks or stores with another hash is where they part.
 */
export function compareWithCopy(logHashes: readonly string[], copy: readonly RevisionHash[]): { firstInvalidRevision: number; reason: CopyBreak } | null {
  for (const { revision, hash } of copy) {
    if (revision > logHashes.length) return { firstInvalidRevision: logHashes.length + 1, reason: 'missing_from_log' };
    if (logHashes[revision - 1] !== hash) return { firstInvalidRevision: revision, reason: 'differs_from_read_model' };
  }
  return null;
}

/**
 * Recomputes the story's hash chain from the event store's own rows (not the read model's copies),
 * then checks the hashes against the copy the projection kept in story_revisions.
 */
export async function verifyStory(store: EventStore, readModel: Queryable, storyId: string): Promise<ChainReport> {
  const copy = await readModel.query<RevisionHash[]>(
    `SELECT revision, hash FROM ${READ_MODEL_SCHEMA}.story_revisions WHERE story_id = $1 ORDER BY revision`,
    [storyId],
  );
  let events: readonly RecordedEvent[];
  try {
    events = await readStoryStream(store, storyId);
  } catch (error) {
    // A stream the read model remembers but the log no longer has was deleted: that is tampering, not a 404.
    if (error instanceof StoryNotFound && copy.length > 0) return { valid: false, revision: 0, headHash: null, firstInvalidRevision: 1, reason: 'missing_from_log' };
    throw error;
  }
  const result = verifyChain(storyStreamId(storyId), events);
  if (!result.valid) {
    return { valid: false, revision: events.length, headHash: null, firstInvalidRevision: storyRevisionOf(result.firstInvalidRevision), reason: result.reason };
  }
  // The chain verified, so every stored hash is the recomputed one.
  const logHashes = events.map((event) => (typeof event.metadata.hash === 'string' ? event.metadata.hash : ''));
  const parted = compareWithCopy(logHashes, copy);
  if (parted) return { valid: false, revision: events.length, headHash: null, ...parted };
  return {
    valid: true,
    revision: result.revision === null ? 0 : storyRevisionOf(result.revision),
    headHash: result.headHash,
    crossChecked: Math.min(copy.at(-1)?.revision ?? 0, events.length),
  };
}
