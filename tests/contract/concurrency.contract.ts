import { randomUUID } from 'node:crypto';
import { comparePositions, ExpectedRevisionConflict } from '@newsroom/event-store';
import type { ExpectedRevision, RecordedEvent } from '@newsroom/event-store';
import { testEvent, testEvents, uniqueStreamId } from './contract-fixtures';
import type { HarnessAccess } from './event-store.contract';
import { SubscriptionReader } from './subscription-reader';

const WRITERS = 20;
const EVENTS_PER_WRITER = 1_000;

/** Appends of 1 to 10 events, varied but the same on every run. */
function appendSizes(writer: number, total: number): number[] {
  const sizes: number[] = [];
  let remaining = total;
  for (let step = 0; remaining > 0; step += 1) {
    const size = Math.min(remaining, 1 + ((writer * 7 + step * 3 + ((step * step) % 5)) % 10));
    sizes.push(size);
    remaining -= size;
  }
  return sizes;
}

export function describeConcurrencyContract(harness: HarnessAccess): void {
  const store = () => harness().store;

  describe(`${WRITERS} writers appending ${EVENTS_PER_WRITER} events each while a subscriber reads`, () => {
    it('delivers every event exactly once, each stream in revision order, positions strictly increasing', async () => {
      const prefix = `load-${randomUUID()}`;
      const reader = new SubscriptionReader(store().subscribeToAll({ fromPosition: 'start', streamPrefixes: [prefix] }));
      try {
        const received = reader.collect(WRITERS * EVENTS_PER_WRITER, 90_000);
        const started = Date.now();

        await Promise.all(
          Array.from({ length: WRITERS }, async (_, writer) => {
            const streamId = `${prefix}-${writer}`;
            let expectedRevision: ExpectedRevision = 'no_stream';
            let written = 0;
            for (const size of appendSizes(writer, EVENTS_PER_WRITER)) {
              const result = await store().appendToStream(streamId, testEvents(size, written), { expectedRevision });
              written += size;
              expect(result.nextExpectedRevision).toBe(BigInt(written - 1));
              expectedRevision = result.nextExpectedRevision;
            }
          }),
        );
        const events = await received;
        // Reported, not asserted: the run's timing on this machine for the lead.
        console.info(`${WRITERS * EVENTS_PER_WRITER} events appended and delivered in ${Date.now() - started} ms`);

        expect(new Set(events.map((event) => event.eventId)).size).toBe(WRITERS * EVENTS_PER_WRITER);
        const byStream = new Map<string, RecordedEvent[]>();
        for (const event of events) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
        expect(byStream.size).toBe(WRITERS);
        for (const streamEvents of byStream.values()) {
          const expected = Array.from({ length: EVENTS_PER_WRITER }, (_, revision) => revision);
          expect(streamEvents.map((event) => Number(event.revision))).toEqual(expected);
          expect(streamEvents.map((event) => event.data['n'])).toEqual(expected);
        }
        const outOfOrder = events.findIndex(
          (event, index) => index > 0 && comparePositions(events[index - 1]?.position ?? event.position, event.position) !== -1,
        );
        expect(outOfOrder).toBe(-1);
      } finally {
        await reader.close();
      }
    }, 120_000);
  });

  describe('concurrent appends to one stream with expectedRevision any', () => {
    it('all succeed, at contiguous revisions, and a subscriber sees the stream in revision order', async () => {
      const streamId = uniqueStreamId('busy');
      const reader = new SubscriptionReader(store().subscribeToAll({ streamPrefixes: [streamId] }));
      try {
        const results = await Promise.all(Array.from({ length: 20 }, () => store().appendToStream(streamId, testEvents(3))));

        expect(results.map((result) => result.nextExpectedRevision).sort((a, b) => Number(a - b))).toEqual(
          Array.from({ length: 20 }, (_, index) => BigInt(index * 3 + 2)),
        );
        const stored = await store().readStream(streamId);
        expect(stored.map((event) => event.revision)).toEqual(Array.from({ length: 60 }, (_, index) => BigInt(index)));
        const delivered = await reader.collect(60, 10_000);
        expect(delivered.map((event) => event.eventId)).toEqual(stored.map((event) => event.eventId));
      } finally {
        await reader.close();
      }
    }, 30_000);
  });

  describe('50 concurrent appends to one stream with the same expected revision', () => {
    it('accepts exactly one; the others conflict and the stream holds only the accepted events', async () => {
      const streamId = uniqueStreamId('contended');
      const first = testEvent();
      await store().appendToStream(streamId, [first], { expectedRevision: 'no_stream' });
      const attempts = Array.from({ length: 50 }, () => testEvents(2));

      const outcomes = await Promise.allSettled(
        attempts.map((events) => store().appendToStream(streamId, events, { expectedRevision: 0n })),
      );

      const accepted = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [index] : []));
      expect(accepted).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toBeInstanceOf(ExpectedRevisionConflict);
          expect(outcome.reason).toMatchObject({ streamId, expected: 0n, actual: 2n });
        }
      }
      const winner = attempts[accepted[0] ?? -1] ?? [];
      expect((await store().readStream(streamId)).map((event) => event.eventId)).toEqual(
        [first, ...winner].map((event) => event.eventId),
      );
    }, 30_000);
  });
}
