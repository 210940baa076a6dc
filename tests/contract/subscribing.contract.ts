import { randomUUID } from 'node:crypto';
import { comparePositions } from '@newsroom/event-store';
import type { RecordedEvent } from '@newsroom/event-store';
import { testEvent, testEvents, uniqueStreamId } from './contract-fixtures';
import type { ContractFeatures, HarnessAccess } from './event-store.contract';
import { SubscriptionReader } from './subscription-reader';

const ids = (events: readonly { readonly eventId: string }[]): string[] => events.map((event) => event.eventId);

function expectStrictlyIncreasingPositions(events: readonly RecordedEvent[]): void {
  for (let index = 1; index < events.length; index += 1) {
    const [previous, current] = [events[index - 1], events[index]];
    if (previous && current && comparePositions(previous.position, current.position) !== -1) {
      throw new Error(`Positions out of order at ${index}: ${current.streamId}@${current.revision} after ${previous.streamId}@${previous.revision}`);
    }
  }
}

export function describeSubscribingContract(harness: HarnessAccess, features: ContractFeatures): void {
  const store = () => harness().store;
  let readers: SubscriptionReader[] = [];
  const subscribe = (...args: Parameters<ReturnType<typeof store>['subscribeToAll']>): SubscriptionReader => {
    const reader = new SubscriptionReader(store().subscribeToAll(...args));
    readers.push(reader);
    return reader;
  };

  afterEach(async () => {
    await Promise.all(readers.map((reader) => reader.close()));
    readers = [];
  });

  describe('subscribing to all from the start', () => {
    it('delivers the stored events of the selected streams, then live ones, exactly once', async () => {
      const prefix = uniqueStreamId('sub');
      const stored = testEvents(3);
      await store().appendToStream(`${prefix}-a`, stored.slice(0, 2));
      await store().appendToStream(`${prefix}-b`, stored.slice(2));
      const reader = subscribe({ fromPosition: 'start', streamPrefixes: [prefix] });

      expect(ids(await reader.collect(3, 10_000))).toEqual(ids(stored));

      const live = testEvents(2);
      await store().appendToStream(`${prefix}-a`, live);
      expect(ids(await reader.collect(2, 10_000))).toEqual(ids(live));

      const sentinel = testEvent();
      await store().appendToStream(`${prefix}-c`, [sentinel]);
      expect(ids(await reader.collect(1, 10_000))).toEqual([sentinel.eventId]);
    }, 30_000);

    it('without a filter delivers every stream, in global order, each of our events once', async () => {
      const streamId = uniqueStreamId('unfiltered');
      const events = testEvents(4);
      await store().appendToStream(streamId, events.slice(0, 2));
      await store().appendToStream(uniqueStreamId('unfiltered'), events.slice(2, 3));
      await store().appendToStream(streamId, events.slice(3));
      const reader = subscribe();

      const delivered = await reader.collectUntil((event) => event.eventId === events[3]?.eventId, 20_000);

      const ours = new Set(ids(events));
      expect(ids(delivered).filter((id) => ours.has(id))).toEqual(ids(events));
      expect(new Set(ids(delivered)).size).toBe(delivered.length);
      expectStrictlyIncreasingPositions(delivered);
      expect(delivered.find((event) => event.eventId === events[0]?.eventId)).toMatchObject({ streamId, revision: 0n, data: { n: 0 } });
    }, 30_000);
  });

  describe('subscribing to all from a stored position', () => {
    it('delivers only what comes after it', async () => {
      const prefix = uniqueStreamId('from');
      const before = testEvents(3);
      const after = testEvents(2);
      const middle = await store().appendToStream(`${prefix}-a`, before);
      await store().appendToStream(`${prefix}-b`, after);

      const fromAppend = subscribe({ fromPosition: middle.position, streamPrefixes: [prefix] });
      expect(ids(await fromAppend.collect(2, 10_000))).toEqual(ids(after));

      const [, second] = await store().readStream(`${prefix}-a`);
      if (!second) throw new Error('The second event was not read back');
      const fromEvent = subscribe({ fromPosition: second.position, streamPrefixes: [prefix] });
      expect(ids(await fromEvent.collect(3, 10_000))).toEqual([before[2]?.eventId, ...ids(after)]);

      const sentinel = testEvent();
      await store().appendToStream(`${prefix}-c`, [sentinel]);
      expect(ids(await fromAppend.collect(1, 10_000))).toEqual([sentinel.eventId]);
    }, 30_000);
  });

  describe('subscribing to selected stream prefixes', () => {
    it('delivers the streams of every prefix given and nothing else', async () => {
      const run = randomUUID();
      const [stories, desks, others] = [`story-${run}`, `desk-${run}`, `other-${run}`];
      const story = testEvent();
      const desk = testEvent();
      const last = testEvent();
      await store().appendToStream(`${others}-1`, testEvents(2));
      await store().appendToStream(`${stories}-1`, [story]);
      await store().appendToStream(`${others}-2`, testEvents(1));
      await store().appendToStream(`${desks}-1`, [desk]);
      await store().appendToStream(`${stories}-2`, [last]);

      const reader = subscribe({ streamPrefixes: [stories, desks] });

      expect(ids(await reader.collect(3, 10_000))).toEqual(ids([story, desk, last]));
    }, 30_000);
  });

  describe('ending a subscription', () => {
    it('close() ends a pending iteration', async () => {
      const reader = subscribe({ streamPrefixes: [uniqueStreamId('quiet')] });
      const pending = reader.isDone(10_000);

      await reader.close();

      expect(await pending).toBe(true);
    }, 15_000);

    it('leaving a for-await loop ends the subscription', async () => {
      const prefix = uniqueStreamId('loop');
      await store().appendToStream(`${prefix}-a`, testEvents(3));
      const subscription = store().subscribeToAll({ streamPrefixes: [prefix] });

      const seen: RecordedEvent[] = [];
      for await (const event of subscription) {
        seen.push(event);
        if (seen.length === 2) break;
      }

      expect(seen).toHaveLength(2);
      await expect(subscription[Symbol.asyncIterator]().next()).resolves.toEqual({ done: true, value: undefined });
    }, 15_000);
  });

  const heldCase = features.holdAppends ? it : it.skip;
  describe('a transaction that commits after later ones', () => {
    heldCase(
      'holds back the later events until it commits, then delivers it first and every event once',
      async () => {
        const holdAppends = harness().holdAppends;
        if (!holdAppends) throw new Error('The harness declares holdAppends but does not provide it');
        const run = randomUUID();
        const [heldStream, freeStream] = [`${holdAppends.streamPrefix}${run}`, `free-${run}`];
        const reader = subscribe({ streamPrefixes: [heldStream, freeStream] });
        const warmUp = testEvent();
        await store().appendToStream(`${freeStream}-warm-up`, [warmUp]);
        expect(ids(await reader.collect(1, 10_000))).toEqual([warmUp.eventId]);

        const hold = await holdAppends.hold();
        try {
          const held = testEvent();
          const heldAppend = store().appendToStream(heldStream, [held]);
          await hold.appendIsWaiting();
          const later = testEvents(3);
          for (const [index, event] of later.entries()) await store().appendToStream(`${freeStream}-${index}`, [event]);

          await reader.expectNothingWithin(300);

          await hold.release();
          await heldAppend;
          expect(ids(await reader.collect(4, 10_000))).toEqual(ids([held, ...later]));
          const sentinel = testEvent();
          await store().appendToStream(`${freeStream}-sentinel`, [sentinel]);
          expect(ids(await reader.collect(1, 10_000))).toEqual([sentinel.eventId]);
        } finally {
          await hold.release();
        }
      },
      30_000,
    );
  });
}
