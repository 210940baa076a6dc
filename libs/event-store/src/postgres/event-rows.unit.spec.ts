import { START_POSITION } from '../event-store.port';
import { positionParameters, toRecordedEvent } from './event-rows';

describe('toRecordedEvent', () => {
  it('parses int8 and xid8 text into bigint beyond Number.MAX_SAFE_INTEGER, and jsonb text into objects', () => {
    const event = toRecordedEvent({
      global_position: '9007199254740993',
      transaction_id: '4294967298',
      stream_id: 'story-1',
      stream_revision: '9007199254740995',
      event_id: '6f1f8c43-3c55-4a53-9a3f-1f9ad1a3b6d2',
      event_type: 'StoryDrafted',
      data: '{"headline":"Rates rise","tags":["economy"]}',
      metadata: '{"editorId":"e-7"}',
      created_at_ms: '1764000000123',
    });

    expect(event).toEqual({
      streamId: 'story-1',
      revision: 9007199254740995n,
      eventId: '6f1f8c43-3c55-4a53-9a3f-1f9ad1a3b6d2',
      type: 'StoryDrafted',
      data: { headline: 'Rates rise', tags: ['economy'] },
      metadata: { editorId: 'e-7' },
      position: { commit: 4294967298n, prepare: 9007199254740993n },
      createdAt: new Date(1764000000123),
    });
  });
});

describe('positionParameters', () => {
  it('maps the start of the log to xid8 0, below every real transaction id', () => {
    expect(positionParameters(START_POSITION)).toEqual({ transactionId: '0', globalPosition: '-1' });
  });

  it('passes a stored position through unchanged', () => {
    expect(positionParameters({ commit: 812n, prepare: 40n })).toEqual({ transactionId: '812', globalPosition: '40' });
  });
});
