import { comparePositions, StreamNotFound } from '@newsroom/event-store';
import type { RecordedEvent } from '@newsroom/event-store';
import { eventually, rejectionOf, testEvent, testEvents, uniqueStreamId } from './contract-fixtures';
import type { HarnessAccess } from './event-store.contract';

const revisions = (events: readonly RecordedEvent[]): bigint[] => events.map((event) => event.revision);

export function describeReadingContract(harness: HarnessAccess): void {
  const store = () => harness().store;

  describe('reading a stream of five events', () => {
    let streamId: string;
    beforeAll(async () => {
      streamId = uniqueStreamId('story');
      await store().appendToStream(streamId, testEvents(2), { expectedRevision: 'no_stream' });
      await store().appendToStream(streamId, testEvents(3, 2), { expectedRevision: 1n });
    });

    it('forwards returns every event in revision order', async () => {
      const events = await store().readStream(streamId);
      expect(revisions(events)).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(events.map((event) => event.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    });

    it('backwards returns them newest first', async () => {
      expect(revisions(await store().readStream(streamId, { direction: 'backwards' }))).toEqual([4n, 3n, 2n, 1n, 0n]);
    });

    it('fromRevision is inclusive in both directions', async () => {
      expect(revisions(await store().readStream(streamId, { fromRevision: 2n }))).toEqual([2n, 3n, 4n]);
      expect(revisions(await store().readStream(streamId, { fromRevision: 2n, direction: 'backwards' }))).toEqual([2n, 1n, 0n]);
    });

    it('maxCount limits the events from the starting point', async () => {
      expect(revisions(await store().readStream(streamId, { maxCount: 2 }))).toEqual([0n, 1n]);
      expect(revisions(await store().readStream(streamId, { direction: 'backwards', fromRevision: 'end', maxCount: 2 }))).toEqual([
        4n,
        3n,
      ]);
      expect(revisions(await store().readStream(streamId, { fromRevision: 3n, maxCount: 10 }))).toEqual([3n, 4n]);
    });

    it('returns nothing from past the end of an existing stream', async () => {
      expect(await store().readStream(streamId, { fromRevision: 5n })).toEqual([]);
    });
  });

  describe('reading what was appended', () => {
    it('returns each event as given, with its stream, revision, position and creation time', async () => {
      const streamId = uniqueStreamId('story');
      const event = testEvent({ headline: 'Rates rise', tags: ['economy'], wordCount: 812, lead: null }, {
        type: 'StoryDrafted',
        metadata: { editorId: 'e-7', correlationId: 'c-1' },
      });
      const before = Date.now();
      const result = await store().appendToStream(streamId, [event]);

      const [recorded] = await store().readStream(streamId);

      expect(recorded).toEqual({
        streamId,
        revision: 0n,
        eventId: event.eventId,
        type: 'StoryDrafted',
        data: event.data,
        metadata: event.metadata,
        position: result.position,
        createdAt: expect.any(Date) as unknown,
      });
      // Generous bounds: the store's clock is not the test's.
      expect(Math.abs((recorded?.createdAt.getTime() ?? 0) - before)).toBeLessThan(60_000);
    });
  });

  describe('reading a stream that does not exist', () => {
    it('throws StreamNotFound', async () => {
      const streamId = uniqueStreamId('missing');
      const error = await rejectionOf(store().readStream(streamId));
      expect(error).toBeInstanceOf(StreamNotFound);
      expect(error).toMatchObject({ streamId });
      await expect(store().readStream(streamId, { direction: 'backwards' })).rejects.toBeInstanceOf(StreamNotFound);
    });
  });

  describe('global positions', () => {
    it('increase from append to append, and the last event carries the append result position', async () => {
      const first = await store().appendToStream(uniqueStreamId('story'), testEvents(3));
      const secondStream = uniqueStreamId('story');
      const second = await store().appendToStream(secondStream, testEvents(2));

      expect(comparePositions(first.position, second.position)).toBe(-1);
      const [older, newer] = await store().readStream(secondStream);
      expect(comparePositions(older?.position ?? first.position, newer?.position ?? first.position)).toBe(-1);
      expect(newer?.position).toEqual(second.position);
    });

    it('headPosition reaches the position of the last append', async () => {
      const result = await store().appendToStream(uniqueStreamId('story'), testEvents(2));
      // "Reaches", not "equals": a store may write events of its own (EventStoreDB's $stats).
      await eventually(async () => {
        const head = await store().headPosition();
        expect(head && comparePositions(head, result.position)).toBeGreaterThanOrEqual(0);
        // Generous: on PostgreSQL the head waits for transactions of other tests on the server.
      }, 20_000);
    }, 30_000);
  });
}
