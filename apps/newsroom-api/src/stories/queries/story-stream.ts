import { storyStreamId, StoryNotFound } from '@newsroom/domain';
import { type EventStore, type RecordedEvent, StreamNotFound } from '@newsroom/event-store';

/**
 * The story's events as the event store holds them (not the read model): what audit reads and
 * verifies. An unknown story is a 404, as everywhere.
 */
export async function readStoryStream(store: EventStore, storyId: string): Promise<readonly RecordedEvent[]> {
  try {
    return await store.readStream(storyStreamId(storyId));
  } catch (error) {
    if (error instanceof StreamNotFound) throw new StoryNotFound();
    throw error;
  }
}

/** Story revisions are 1-based (revision n = the story after its n-th event); stream revisions are 0-based. */
export const storyRevisionOf = (streamRevision: bigint): number => Number(streamRevision) + 1;
