import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '../event-store.port';
import { DuplicateEventIdConflict } from '../event-store.errors';
import type { StoredEventMatch } from './idempotency';
import { assertAppendableEvents, decideIdempotency } from './idempotency';

function stored(index: number, revision: bigint, overrides: Partial<StoredEventMatch> = {}): StoredEventMatch {
  return {
    index,
    eventId: `id-${index}`,
    streamId: 'story-1',
    revision,
    position: { commit: 900n, prepare: 10n + revision },
    sameContent: true,
    ...overrides,
  };
}

describe('decideIdempotency', () => {
  it('writes when none of the ids is stored', () => {
    expect(decideIdempotency('story-1', 2, [])).toEqual({ kind: 'write' });
  });

  it('returns the original result when every event is stored in order with the same content', () => {
    expect(decideIdempotency('story-1', 3, [stored(2, 6n), stored(0, 4n), stored(1, 5n)])).toEqual({
      kind: 'already-appended',
      result: { nextExpectedRevision: 6n, position: { commit: 900n, prepare: 16n } },
    });
  });

  it('conflicts on an id stored with different content', () => {
    expect(decideIdempotency('story-1', 2, [stored(0, 4n), stored(1, 5n, { sameContent: false })])).toEqual({
      kind: 'conflict',
      eventId: 'id-1',
    });
  });

  it('conflicts on an id stored in another stream', () => {
    expect(decideIdempotency('story-1', 1, [stored(0, 0n, { streamId: 'story-2' })])).toEqual({ kind: 'conflict', eventId: 'id-0' });
  });

  it('conflicts when only some of the ids are stored', () => {
    expect(decideIdempotency('story-1', 2, [stored(1, 5n)])).toEqual({ kind: 'conflict', eventId: 'id-1' });
  });

  it('conflicts when the stored events are not at consecutive revisions in the same order', () => {
    expect(decideIdempotency('story-1', 2, [stored(0, 5n), stored(1, 4n)])).toEqual({ kind: 'conflict', eventId: 'id-1' });
    expect(decideIdempotency('story-1', 2, [stored(0, 4n), stored(1, 6n)])).toEqual({ kind: 'conflict', eventId: 'id-1' });
  });
});

describe('assertAppendableEvents', () => {
  const event = (eventId: string): EventToAppend => ({ eventId, type: 'StoryDrafted', data: {}, metadata: {} });

  it('rejects an event id that is not a UUID', () => {
    expect(() => assertAppendableEvents('story-1', [event('not-a-uuid')])).toThrow(TypeError);
  });

  it('rejects the same id twice in one append, whatever its case', () => {
    const id = randomUUID();
    expect(() => assertAppendableEvents('story-1', [event(id), event(id.toUpperCase())])).toThrow(DuplicateEventIdConflict);
  });

  it('accepts distinct UUIDs', () => {
    expect(() => assertAppendableEvents('story-1', [event(randomUUID()), event(randomUUID())])).not.toThrow();
  });
});
