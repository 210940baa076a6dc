import { randomUUID } from 'node:crypto';
import { decide, evolve, GENESIS_HASH, initialState, sealEvents, type SealedEvent, type StoryState, storyStreamId } from '@newsroom/domain';
import { type EventStore } from '@newsroom/event-store';
import { logDevelopmentCommand, openStoryCommand } from './newsroom-payloads';

const BATCH = 500;

/**
 * Writes a story of exactly `events` events straight to the store, as the API would (decide, seal
 * into the hash chain, append with the exact expected revision), in batches of appends so a
 * 10,000-event story takes seconds, not minutes.
 */
export async function seedStory(store: EventStore, storyId: string, events: number): Promise<void> {
  const streamId = storyStreamId(storyId);
  let state: StoryState = initialState();
  let revision = 0;
  let prevHash = GENESIS_HASH;
  let pending: SealedEvent[] = [];
  let stored = 0;

  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    await store.appendToStream(streamId, pending, { expectedRevision: stored === 0 ? 'no_stream' : BigInt(stored - 1) });
    stored += pending.length;
    pending = [];
  };

  while (revision < events) {
    const command = revision === 0 ? openStoryCommand(storyId) : logDevelopmentCommand(randomUUID());
    const decided = decide(command, state);
    const sealed = sealEvents({
      streamId,
      firstRevision: BigInt(revision),
      prevHash,
      events: decided,
      eventIds: decided.map(() => randomUUID()),
      metadata: { editorId: 'ed-bench-seed', correlationId: randomUUID(), causationId: randomUUID(), recordedAt: new Date().toISOString() },
    });
    state = decided.reduce(evolve, state);
    revision += sealed.length;
    prevHash = sealed.at(-1)?.metadata.hash ?? prevHash;
    pending.push(...sealed);
    if (pending.length >= BATCH) await flush();
  }
  await flush();
  if (revision !== events) throw new Error(`seeded ${revision} events, wanted ${events}`);
}
