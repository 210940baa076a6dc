import { type EventStore, type JsonObject } from '@newsroom/event-store';
import { readStoryStream, storyRevisionOf } from '../story-stream';

export interface StoredEventItem {
  /** 1-based story revision: the stream revision + 1. */
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: JsonObject;
  /** As stored: editorId, correlationId, causationId, recordedAt, reason, schemaVersion, prevHash, hash. */
  readonly metadata: JsonObject;
  /** The writer's clock (metadata.recordedAt). */
  readonly recordedAt: string | null;
  /** The store's clock, when it committed the event. */
  readonly storedAt: string;
  readonly hash: string | null;
  readonly prevHash: string | null;
}

const text = (metadata: JsonObject, key: string): string | null => {
  const value = metadata[key];
  return typeof value === 'string' ? value : null;
};

/** The raw, immutable events of a story, in stream order, straight from the event store. */
export async function listStoryEvents(store: EventStore, storyId: string): Promise<StoredEventItem[]> {
  const events = await readStoryStream(store, storyId);
  return events.map((event) => ({
    revision: storyRevisionOf(event.revision),
    eventId: event.eventId,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: text(event.metadata, 'recordedAt'),
    storedAt: event.createdAt.toISOString(),
    hash: text(event.metadata, 'hash'),
    prevHash: text(event.metadata, 'prevHash'),
  }));
}
