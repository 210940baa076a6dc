import { BACKWARDS, END, FORWARDS, START } from '@eventstore/db-client';
import { START_POSITION } from '../event-store.port';
import {
  fromClientCurrentRevision,
  isDeliverable,
  isSystemEvent,
  planStreamRead,
  toClientExpectedRevision,
  toEventData,
  toRecordedEvent,
  toSubscriptionFilter,
  toSubscriptionStart,
  type ClientRecordedEvent,
} from './eventstoredb-mapping';

function recorded(overrides: Partial<ClientRecordedEvent> = {}): ClientRecordedEvent {
  return {
    streamId: 'story-1',
    id: '6f1f8c43-3c55-4a53-9a3f-1f9ad1a3b6d2',
    revision: 9007199254740995n,
    type: 'StoryOpened',
    isJson: true,
    data: { headline: 'Rates rise', tags: ['economy'] },
    metadata: { editorId: 'e-7', hash: 'ab12', prevHash: '00' },
    created: new Date(1764000000123),
    position: { commit: 9007199254740997n, prepare: 9007199254740993n },
    ...overrides,
  };
}

describe('expected revisions', () => {
  it.each([
    ['any', 'any'],
    ['no_stream', 'no_stream'],
    ['stream_exists', 'stream_exists'],
    [0n, 0n],
    [9007199254740995n, 9007199254740995n],
  ] as const)('port %p is sent to EventStoreDB as %p', (port, client) => {
    expect(toClientExpectedRevision(port)).toBe(client);
  });

  it("reads the client's no_stream as the port's -1n and a revision as itself", () => {
    expect(fromClientCurrentRevision('no_stream')).toBe(-1n);
    expect(fromClientCurrentRevision(7n)).toBe(7n);
  });
});

describe('where a subscription starts', () => {
  it('starts at the beginning of the log for no position, "start" and START_POSITION', () => {
    expect(toSubscriptionStart(undefined)).toBe(START);
    expect(toSubscriptionStart('start')).toBe(START);
    expect(toSubscriptionStart(START_POSITION)).toBe(START);
  });

  it('passes a stored position through as commit and prepare', () => {
    expect(toSubscriptionStart({ commit: 812n, prepare: 790n })).toEqual({ commit: 812n, prepare: 790n });
  });
});

describe('the subscription filter', () => {
  it('filters on stream name prefixes when prefixes are given', () => {
    expect(toSubscriptionFilter(['story-'])).toMatchObject({ filterOn: 'streamName', prefixes: ['story-'] });
  });

  it('excludes system event types when none are', () => {
    expect(toSubscriptionFilter([])).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
  });

  it('delivers only non-system events of the selected streams', () => {
    expect(isDeliverable({ streamId: 'story-1', type: 'StoryOpened' }, ['story-'])).toBe(true);
    expect(isDeliverable({ streamId: 'desk-1', type: 'StoryOpened' }, ['story-'])).toBe(false);
    expect(isDeliverable({ streamId: 'desk-1', type: 'StoryOpened' }, [])).toBe(true);
    expect(isDeliverable({ streamId: 'story-1', type: '$>' }, ['story-'])).toBe(false);
  });

  it('treats $-prefixed streams and types as system events', () => {
    expect(isSystemEvent({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(true);
    expect(isSystemEvent({ streamId: '$ce-story', type: '$>' })).toBe(true);
    expect(isSystemEvent({ streamId: 'story-1', type: '$metadata' })).toBe(true);
    expect(isSystemEvent({ streamId: 'story-1', type: 'StoryOpened' })).toBe(false);
  });
});

describe('event serialisation', () => {
  it('sends the caller id, type, and data and metadata as JSON', () => {
    const metadata = { editorId: 'e-7', hash: 'ab12', prevHash: '00', schemaVersion: 1 };
    expect(
      toEventData({ eventId: '6f1f8c43-3c55-4a53-9a3f-1f9ad1a3b6d2', type: 'StoryOpened', data: { headline: 'Rates rise' }, metadata }),
    ).toEqual({
      id: '6f1f8c43-3c55-4a53-9a3f-1f9ad1a3b6d2',
      contentType: 'application/json',
      type: 'StoryOpened',
      data: { headline: 'Rates rise' },
      metadata,
    });
  });

  it('reads a stored event back with bigint revision and position beyond Number.MAX_SAFE_INTEGER', () => {
    expect(toRecordedEvent(recorded())).toEqual({
      streamId: 'story-1',
      revision: 9007199254740995n,
      eventId: '6f1f8c43-3c55-4a53-9a3f-1f9ad1a3b6d2',
      type: 'StoryOpened',
      data: { headline: 'Rates rise', tags: ['economy'] },
      metadata: { editorId: 'e-7', hash: 'ab12', prevHash: '00' },
      position: { commit: 9007199254740997n, prepare: 9007199254740993n },
      createdAt: new Date(1764000000123),
    });
  });

  it('reads absent metadata as an empty object', () => {
    expect(toRecordedEvent(recorded({ metadata: undefined })).metadata).toEqual({});
  });

  it('refuses binary events, non-object data and binary metadata', () => {
    expect(() => toRecordedEvent(recorded({ isJson: false, data: new Uint8Array([1]) }))).toThrow(TypeError);
    expect(() => toRecordedEvent(recorded({ data: ['not', 'an', 'object'] }))).toThrow(TypeError);
    expect(() => toRecordedEvent(recorded({ metadata: new Uint8Array([1]) }))).toThrow(TypeError);
  });

  it('needs the position, which servers before 22.6 do not send on stream reads', () => {
    expect(() => toRecordedEvent(recorded({ position: undefined }))).toThrow(/22\.6/);
  });
});

describe('planStreamRead', () => {
  it.each([
    ['forwards from the start', {}, { fromRevision: START, direction: FORWARDS, maxCount: Number.MAX_SAFE_INTEGER }],
    ['forwards from a revision', { fromRevision: 3n, maxCount: 10 }, { fromRevision: 3n, direction: FORWARDS, maxCount: 10 }],
    ['backwards from the end', { direction: 'backwards' }, { fromRevision: END, direction: BACKWARDS, maxCount: Number.MAX_SAFE_INTEGER }],
    ['backwards from a revision', { direction: 'backwards', fromRevision: 2n }, { fromRevision: 2n, direction: BACKWARDS, maxCount: Number.MAX_SAFE_INTEGER }],
    ['forwards from the end: the last event alone', { fromRevision: 'end' }, { fromRevision: END, direction: BACKWARDS, maxCount: 1 }],
    ['backwards from the start: the first event alone', { direction: 'backwards', fromRevision: 'start', maxCount: 5 }, { fromRevision: 0n, direction: BACKWARDS, maxCount: 1 }],
    ['maxCount 0: one event read, none kept', { maxCount: 0 }, { fromRevision: START, direction: FORWARDS, maxCount: 1, take: 0 }],
  ] as const)('%s', (_name, options, plan) => {
    expect(planStreamRead(options)).toEqual(plan);
  });

  it('rejects a negative revision and a fractional or negative maxCount', () => {
    expect(() => planStreamRead({ fromRevision: -1n })).toThrow(RangeError);
    expect(() => planStreamRead({ maxCount: -1 })).toThrow(RangeError);
    expect(() => planStreamRead({ maxCount: 1.5 })).toThrow(RangeError);
  });
});
