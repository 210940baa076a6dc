import { type ChainBreak, storyStreamId, verifyChain } from '@newsroom/domain';
import { type EventStore } from '@newsroom/event-store';
import { readStoryStream, storyRevisionOf } from '../story-stream';

export type ChainReport =
  | {
      readonly valid: true;
      /** The story revision verified up to (1-based): every event of the stream. */
      readonly revision: number;
      /** The recomputed hash of the last event: keep it elsewhere to detect events cut from the end later. */
      readonly headHash: string;
    }
  | {
      readonly valid: false;
      /** The story revision the stream is at (1-based): how many events it holds. */
      readonly revision: number;
      readonly headHash: null;
      /** 1-based story revision of the first event that does not verify; every one before it does. */
      readonly firstInvalidRevision: number;
      readonly reason: ChainBreak;
    };

/** Recomputes the story's hash chain from the event store's own rows (not the read model's copies). */
export async function verifyStory(store: EventStore, storyId: string): Promise<ChainReport> {
  const events = await readStoryStream(store, storyId);
  const result = verifyChain(storyStreamId(storyId), events);
  if (!result.valid) {
    return { valid: false, revision: events.length, headHash: null, firstInvalidRevision: storyRevisionOf(result.firstInvalidRevision), reason: result.reason };
  }
  return { valid: true, revision: result.revision === null ? 0 : storyRevisionOf(result.revision), headHash: result.headHash };
}
