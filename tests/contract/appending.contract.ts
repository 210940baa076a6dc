import { DuplicateEventIdConflict, ExpectedRevisionConflict, START_POSITION } from '@newsroom/event-store';
import { rejectionOf, testEvent, testEvents, uniqueStreamId } from './contract-fixtures';
import type { ContractFeatures, HarnessAccess } from './event-store.contract';

export function describeAppendingContract(harness: HarnessAccess, features: ContractFeatures): void {
  const store = () => harness().store;
  const acrossStreams = features.eventIdsUniqueAcrossStreams === false ? it.skip : it;

  describe('appending with expectedRevision no_stream', () => {
    it('creates the stream and reports the revision of its last event', async () => {
      const streamId = uniqueStreamId('story');
      const result = await store().appendToStream(streamId, testEvents(2), { expectedRevision: 'no_stream' });
      expect(result.nextExpectedRevision).toBe(1n);
      expect(await store().readStream(streamId)).toHaveLength(2);
    });

    it('conflicts when the stream exists, reporting expected and actual revisions', async () => {
      const streamId = uniqueStreamId('story');
      await store().appendToStream(streamId, testEvents(2), { expectedRevision: 'no_stream' });

      const error = await rejectionOf(store().appendToStream(streamId, testEvents(1), { expectedRevision: 'no_stream' }));

      expect(error).toBeInstanceOf(ExpectedRevisionConflict);
      expect(error).toMatchObject({ streamId, expected: 'no_stream', actual: 1n });
      expect(await store().readStream(streamId)).toHaveLength(2);
    });
  });

  describe('appending with expectedRevision stream_exists', () => {
    it('conflicts on a missing stream with actual -1n and creates nothing', async () => {
      const streamId = uniqueStreamId('story');
      const error = await rejectionOf(store().appendToStream(streamId, testEvents(1), { expectedRevision: 'stream_exists' }));
      expect(error).toBeInstanceOf(ExpectedRevisionConflict);
      expect(error).toMatchObject({ streamId, expected: 'stream_exists', actual: -1n });
      await expect(store().appendToStream(streamId, [], { expectedRevision: 'no_stream' })).resolves.toBeDefined();
    });

    it('appends to an existing stream', async () => {
      const streamId = uniqueStreamId('story');
      await store().appendToStream(streamId, testEvents(1));
      const result = await store().appendToStream(streamId, testEvents(2), { expectedRevision: 'stream_exists' });
      expect(result.nextExpectedRevision).toBe(2n);
    });
  });

  describe('appending with an exact expected revision', () => {
    it('appends when it is the revision of the last event, advancing by the number of events', async () => {
      const streamId = uniqueStreamId('story');
      const first = await store().appendToStream(streamId, testEvents(1), { expectedRevision: 'no_stream' });
      expect(first.nextExpectedRevision).toBe(0n);

      const second = await store().appendToStream(streamId, testEvents(3), { expectedRevision: 0n });
      expect(second.nextExpectedRevision).toBe(3n);

      const third = await store().appendToStream(streamId, testEvents(2), { expectedRevision: 3n });
      expect(third.nextExpectedRevision).toBe(5n);
    });

    it('conflicts on a stale revision, carrying the actual one', async () => {
      const streamId = uniqueStreamId('story');
      await store().appendToStream(streamId, testEvents(3));

      const error = await rejectionOf(store().appendToStream(streamId, testEvents(1), { expectedRevision: 1n }));

      expect(error).toBeInstanceOf(ExpectedRevisionConflict);
      expect(error).toMatchObject({ streamId, expected: 1n, actual: 2n });
      expect(await store().readStream(streamId)).toHaveLength(3);
    });

    it('conflicts on a missing stream with actual -1n', async () => {
      const streamId = uniqueStreamId('story');
      const error = await rejectionOf(store().appendToStream(streamId, testEvents(1), { expectedRevision: 0n }));
      expect(error).toMatchObject({ streamId, expected: 0n, actual: -1n });
    });
  });

  describe('appending with expectedRevision any (the default)', () => {
    it('appends to a missing stream and to an existing one', async () => {
      const streamId = uniqueStreamId('story');
      expect((await store().appendToStream(streamId, testEvents(2))).nextExpectedRevision).toBe(1n);
      expect((await store().appendToStream(streamId, testEvents(1), { expectedRevision: 'any' })).nextExpectedRevision).toBe(2n);
    });
  });

  describe('appending no events', () => {
    it('writes nothing, still checks the expected revision, and reports -1n for a missing stream', async () => {
      const streamId = uniqueStreamId('story');
      const missing = await store().appendToStream(streamId, [], { expectedRevision: 'any' });
      expect(missing).toEqual({ nextExpectedRevision: -1n, position: START_POSITION });

      const written = await store().appendToStream(streamId, testEvents(2));
      expect(await store().appendToStream(streamId, [], { expectedRevision: 1n })).toEqual(written);
      await expect(store().appendToStream(streamId, [], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
        ExpectedRevisionConflict,
      );
      expect(await store().readStream(streamId)).toHaveLength(2);
    });
  });

  describe('appending event ids that are already stored', () => {
    it('returns the original result and writes nothing when the same events are appended again, even after later appends', async () => {
      const streamId = uniqueStreamId('story');
      const events = testEvents(2);
      const original = await store().appendToStream(streamId, events, { expectedRevision: 'no_stream' });
      await store().appendToStream(streamId, testEvents(1), { expectedRevision: original.nextExpectedRevision });

      const retried = await store().appendToStream(streamId, events, { expectedRevision: 'no_stream' });

      expect(retried).toEqual(original);
      expect((await store().readStream(streamId)).map((event) => event.revision)).toEqual([0n, 1n, 2n]);
    });

    it('treats data with the same content in another key order as the same event', async () => {
      const streamId = uniqueStreamId('story');
      const event = testEvent({ headline: 'Rates rise', byline: { name: 'A. Writer', desk: 'economy' } });
      const original = await store().appendToStream(streamId, [event]);

      const reordered = { ...event, data: { byline: { desk: 'economy', name: 'A. Writer' }, headline: 'Rates rise' } };
      expect(await store().appendToStream(streamId, [reordered])).toEqual(original);
      expect(await store().readStream(streamId)).toHaveLength(1);
    });

    it('conflicts when an id is appended again with different content', async () => {
      const streamId = uniqueStreamId('story');
      const event = testEvent({ headline: 'Rates rise' });
      await store().appendToStream(streamId, [event]);

      const changed = { ...event, data: { headline: 'Rates fall' } };
      const error = await rejectionOf(store().appendToStream(streamId, [changed]));

      expect(error).toBeInstanceOf(DuplicateEventIdConflict);
      expect(error).toMatchObject({ eventId: event.eventId });
      expect(await store().readStream(streamId)).toHaveLength(1);
    });

    acrossStreams('conflicts when an id is appended to another stream', async () => {
      const event = testEvent();
      await store().appendToStream(uniqueStreamId('story'), [event]);
      const otherStream = uniqueStreamId('story');

      await expect(store().appendToStream(otherStream, [event])).rejects.toBeInstanceOf(DuplicateEventIdConflict);
      await expect(store().appendToStream(otherStream, [], { expectedRevision: 'no_stream' })).resolves.toBeDefined();
    });

    it('conflicts when only some of the ids are stored, and writes none of the new ones', async () => {
      const streamId = uniqueStreamId('story');
      const [stored, fresh] = [testEvent(), testEvent()];
      await store().appendToStream(streamId, [stored]);

      await expect(store().appendToStream(streamId, [stored, fresh])).rejects.toBeInstanceOf(DuplicateEventIdConflict);
      expect((await store().readStream(streamId)).map((event) => event.eventId)).toEqual([stored.eventId]);
    });

    it('writes once when the same append arrives concurrently, and all of them get its result', async () => {
      const streamId = uniqueStreamId('story');
      const events = testEvents(3);

      const results = await Promise.all(Array.from({ length: 10 }, () => store().appendToStream(streamId, events)));

      const [first] = results;
      for (const result of results) expect(result).toEqual(first);
      expect((await store().readStream(streamId)).map((event) => event.eventId)).toEqual(events.map((event) => event.eventId));
    });

    acrossStreams('writes once when one id is appended concurrently to different streams; the others conflict', async () => {
      const event = testEvent();
      const streamIds = Array.from({ length: 10 }, () => uniqueStreamId('story'));

      const outcomes = await Promise.allSettled(streamIds.map((streamId) => store().appendToStream(streamId, [event])));

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(DuplicateEventIdConflict);
      }
      const written = await Promise.all(
        streamIds.map((streamId) => store().appendToStream(streamId, [], { expectedRevision: 'any' })),
      );
      expect(written.filter((result) => result.nextExpectedRevision === 0n)).toHaveLength(1);
    });
  });
}
