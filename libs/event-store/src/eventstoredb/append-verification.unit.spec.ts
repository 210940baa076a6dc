import { randomUUID } from 'node:crypto';
import type { EventToAppend, RecordedEvent } from '../event-store.port';
import { DuplicateEventIdConflict, ExpectedRevisionConflict } from '../event-store.errors';
import { explainWrongExpectedVersion, revisionsToInspect, sameJson, verifyAppended } from './append-verification';

function toAppend(data: EventToAppend['data'] = {}): EventToAppend {
  return { eventId: randomUUID(), type: 'DevelopmentLogged', data, metadata: { editorId: 'e-7', hash: 'ab12' } };
}

function stored(event: EventToAppend, revision: bigint, overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    streamId: 'story-1',
    revision,
    eventId: event.eventId,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    position: { commit: 1000n + revision, prepare: 1000n + revision },
    createdAt: new Date(0),
    ...overrides,
  };
}

describe('verifyAppended', () => {
  it('returns the revision and position of the last event when the acknowledged events are ours', () => {
    const events = [toAppend({ n: 0 }), toAppend({ n: 1 })];
    expect(verifyAppended('story-1', events, [stored(events[0]!, 4n), stored(events[1]!, 5n)])).toEqual({
      kind: 'appended',
      result: { nextExpectedRevision: 5n, position: { commit: 1005n, prepare: 1005n } },
    });
  });

  it('accepts ids in another case and data with keys in another order: EventStoreDB stores JSON', () => {
    const event = toAppend({ headline: 'Rates rise', byline: { name: 'A. Writer', desk: 'economy' } });
    const record = stored(event, 0n, {
      eventId: event.eventId.toUpperCase(),
      data: { byline: { desk: 'economy', name: 'A. Writer' }, headline: 'Rates rise' },
    });
    expect(verifyAppended('story-1', [event], [record]).kind).toBe('appended');
  });

  it('conflicts when an acknowledged retry carries other data, metadata or type under the same id', () => {
    const event = toAppend({ headline: 'Rates rise' });
    for (const changed of [{ data: { headline: 'Rates fall' } }, { metadata: { editorId: 'e-8', hash: 'ab12' } }, { type: 'StoryOpened' }]) {
      expect(verifyAppended('story-1', [event], [stored(event, 0n, changed)])).toEqual({ kind: 'duplicate', eventId: event.eventId });
    }
  });

  it('conflicts when the acknowledged revisions hold other ids (ids found out of place)', () => {
    const [first, second] = [toAppend(), toAppend()];
    expect(verifyAppended('story-1', [first, second], [stored(second, 0n), stored(first, 1n)])).toEqual({
      kind: 'duplicate',
      eventId: first.eventId,
    });
  });

  it('fails loudly when fewer events can be read back than were acknowledged', () => {
    const events = [toAppend(), toAppend()];
    expect(() => verifyAppended('story-1', events, [stored(events[0]!, 0n)])).toThrow(/read back/);
  });
});

describe('sameJson', () => {
  it('ignores key order, not array order, and tells types apart', () => {
    expect(sameJson({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson({ a: '1' }, { a: 1 })).toBe(false);
    expect(sameJson({ a: null }, { b: null })).toBe(false);
    expect(sameJson({}, [])).toBe(false);
  });
});

describe('revisionsToInspect', () => {
  it('reads the events after an exact or no_stream expectation when the stream went past it', () => {
    expect(revisionsToInspect('no_stream', 1n, 2)).toEqual({ from: 0n, count: 2 });
    expect(revisionsToInspect(3n, 7n, 1)).toEqual({ from: 4n, count: 1 });
  });

  it('reads nothing when the stream is behind the expectation, or for any and stream_exists', () => {
    expect(revisionsToInspect(3n, 1n, 1)).toBeNull();
    expect(revisionsToInspect(0n, -1n, 1)).toBeNull();
    expect(revisionsToInspect('any', 4n, 1)).toBeNull();
    expect(revisionsToInspect('stream_exists', -1n, 1)).toBeNull();
  });
});

describe('explainWrongExpectedVersion', () => {
  it('is a revision conflict, with the actual revision, when the stream moved on with other events', () => {
    const events = [toAppend()];
    const error = explainWrongExpectedVersion('story-1', events, 0n, 2n, [stored(toAppend(), 1n), stored(toAppend(), 2n)]);
    expect(error).toEqual(new ExpectedRevisionConflict('story-1', 0n, 2n));
  });

  it('is a revision conflict with -1n when stream_exists meets no stream', () => {
    expect(explainWrongExpectedVersion('story-1', [toAppend()], 'stream_exists', -1n, [])).toMatchObject({
      constructor: ExpectedRevisionConflict,
      expected: 'stream_exists',
      actual: -1n,
    });
  });

  it('is a duplicate id when one of our ids is stored after the expected revision (a partial retry)', () => {
    const [kept, fresh] = [toAppend(), toAppend()];
    const error = explainWrongExpectedVersion('story-1', [kept, fresh], 'no_stream', 0n, [stored(kept, 0n)]);
    expect(error).toEqual(new DuplicateEventIdConflict('story-1', kept.eventId));
  });

  it('is a duplicate id for any, which EventStoreDB fails only on a partial retry', () => {
    const events = [toAppend(), toAppend()];
    expect(explainWrongExpectedVersion('story-1', events, 'any', 0n, [])).toEqual(new DuplicateEventIdConflict('story-1', events[0]!.eventId));
  });
});
