import { randomUUID } from 'node:crypto';
import {
  AccessDeniedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AppendResult as ClientAppendResult,
  type AppendToStreamOptions,
  type EventData,
  type ReadAllOptions,
  type ReadStreamOptions as ClientReadStreamOptions,
  type SubscribeToAllOptions as ClientSubscribeToAllOptions,
} from '@eventstore/db-client';
import { START_POSITION, type EventToAppend, type RecordedEvent } from '../event-store.port';
import { DuplicateEventIdConflict, EventStoreUnavailable, ExpectedRevisionConflict, StreamNotFound } from '../event-store.errors';
import type { ClientAllSubscription } from './eventstoredb-all-subscription';
import { EventStoreDbEventStore, type EventStoreDbClient } from './eventstoredb-event-store';
import type { ClientRecordedEvent } from './eventstoredb-mapping';

type Resolved = { readonly event?: ClientRecordedEvent };

/** A read the way the client returns it: async iterable, cancellable. */
function clientRead(produce: () => AsyncGenerator<Resolved>): AsyncIterable<Resolved> & { cancel: jest.Mock } {
  return { [Symbol.asyncIterator]: produce, cancel: jest.fn(() => Promise.resolve()) };
}

/** A subscription fed by the test: events pushed, then ended or failed. */
class FedSubscription implements ClientAllSubscription {
  readonly unsubscribe = jest.fn(() => Promise.resolve());
  readonly destroy = jest.fn(() => this.settle({ done: true }));
  private readonly queued: (IteratorResult<Resolved, undefined> | Error)[] = [];
  private waiting: ((item: IteratorResult<Resolved, undefined> | Error) => void) | null = null;

  push(event: ClientRecordedEvent): void {
    this.settle({ done: false, value: { event } });
  }

  end(): void {
    this.settle({ done: true, value: undefined });
  }

  fail(error: Error): void {
    this.settle(error);
  }

  [Symbol.asyncIterator](): AsyncIterator<Resolved> {
    return {
      next: async () => {
        const item = this.queued.shift() ?? (await new Promise<IteratorResult<Resolved, undefined> | Error>((resolve) => (this.waiting = resolve)));
        if (item instanceof Error) throw item;
        return item;
      },
    };
  }

  private settle(item: IteratorResult<Resolved, undefined> | Error | { done: true }): void {
    const normalised: IteratorResult<Resolved, undefined> | Error = item instanceof Error || !item.done ? item : { done: true, value: undefined };
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) waiting(normalised);
    else this.queued.push(normalised);
  }
}

/** Streams held in memory, read with EventStoreDB's semantics for the options the adapter uses. */
class ScriptedClient implements EventStoreDbClient {
  readonly streams = new Map<string, ClientRecordedEvent[]>();
  all: ClientRecordedEvent[] = [];
  readonly appends: { streamName: string; events: EventData[]; options: AppendToStreamOptions }[] = [];
  readonly streamReads: { streamName: string; options: ClientReadStreamOptions }[] = [];
  readonly allReads: (AsyncIterable<Resolved> & { cancel: jest.Mock })[] = [];
  readonly subscriptions: { options: ClientSubscribeToAllOptions; source: FedSubscription }[] = [];
  appendOutcome: (events: EventData[]) => Promise<ClientAppendResult> = () => Promise.reject(new Error('no append scripted'));
  readFailure: Error | null = null;
  readonly dispose = jest.fn(() => Promise.resolve());

  appendToStream(streamName: string, events: EventData[], options: AppendToStreamOptions): Promise<ClientAppendResult> {
    this.appends.push({ streamName, events, options });
    return this.appendOutcome(events);
  }

  readStream(streamName: string, options: ClientReadStreamOptions): AsyncIterable<Resolved> & { cancel: jest.Mock } {
    this.streamReads.push({ streamName, options });
    const { readFailure } = this;
    const stream = this.streams.get(streamName);
    return clientRead(async function* () {
      await Promise.resolve();
      if (readFailure) throw readFailure;
      if (!stream) throw new StreamNotFoundError(undefined, streamName);
      const backwards = options.direction === 'backwards';
      const ordered = backwards ? [...stream].reverse() : stream;
      const from = options.fromRevision ?? (backwards ? 'end' : 'start');
      const selected = ordered.filter((event) => typeof from !== 'bigint' || (backwards ? event.revision <= from : event.revision >= from));
      for (const event of selected.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER))) yield { event };
    });
  }

  readAll(options: ReadAllOptions): AsyncIterable<Resolved> & { cancel: jest.Mock } {
    expect(options).toMatchObject({ fromPosition: 'end', direction: 'backwards' });
    const events = [...this.all].reverse();
    const { readFailure } = this;
    const read = clientRead(async function* () {
      await Promise.resolve();
      if (readFailure) throw readFailure;
      for (const event of events) yield { event };
    });
    this.allReads.push(read);
    return read;
  }

  subscribeToAll(options: ClientSubscribeToAllOptions): ClientAllSubscription {
    const source = new FedSubscription();
    this.subscriptions.push({ options, source });
    return source;
  }

  /** Stores events as EventStoreDB would have: at the next revisions, with positions and JSON round-tripped. */
  store(streamId: string, events: readonly EventToAppend[]): ClientRecordedEvent[] {
    const stream = this.streams.get(streamId) ?? [];
    const records = events.map((event, index) => recordOf(streamId, BigInt(stream.length + index), event));
    this.streams.set(streamId, [...stream, ...records]);
    this.all.push(...records);
    return records;
  }
}

let position = 1_000n;
function recordOf(streamId: string, revision: bigint, event: EventToAppend): ClientRecordedEvent {
  position += 100n;
  return {
    streamId,
    id: event.eventId,
    revision,
    type: event.type,
    isJson: true,
    data: JSON.parse(JSON.stringify(event.data)) as unknown,
    metadata: JSON.parse(JSON.stringify(event.metadata)) as unknown,
    created: new Date(1764000000000),
    position: { commit: position, prepare: position },
  };
}

function toAppend(data: EventToAppend['data'] = {}): EventToAppend {
  return { eventId: randomUUID(), type: 'DevelopmentLogged', data, metadata: { editorId: 'e-7', hash: randomUUID() } };
}

function systemRecord(): ClientRecordedEvent {
  return { ...recordOf('$stats-127.0.0.1:2113', 0n, toAppend()), type: '$statsCollected' };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('Expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('EventStoreDbEventStore', () => {
  let client: ScriptedClient;
  let store: EventStoreDbEventStore;
  const warn = jest.fn();

  beforeEach(() => {
    client = new ScriptedClient();
    store = new EventStoreDbEventStore(client, { warn });
  });

  describe('appending events the server writes', () => {
    it('sends each event with its own id and the mapped expected revision, and answers from the events read back', async () => {
      const events = [toAppend({ n: 0 }), toAppend({ n: 1 })];
      client.store('story-1', [toAppend()]);
      client.appendOutcome = () => {
        client.store('story-1', events);
        return Promise.resolve({ success: true, nextExpectedRevision: 2n, position: { commit: 1n, prepare: 1n } });
      };

      const result = await store.appendToStream('story-1', events, { expectedRevision: 0n });

      expect(client.appends[0]?.options).toEqual({ expectedRevision: 0n });
      expect(client.appends[0]?.events.map((event) => event.id)).toEqual(events.map((event) => event.eventId));
      const last = client.streams.get('story-1')?.[2];
      expect(result).toEqual({ nextExpectedRevision: 2n, position: last?.position });
      expect(client.streamReads.at(-1)).toEqual({ streamName: 'story-1', options: { fromRevision: 1n, maxCount: 2, requiresLeader: true } });
    });
  });

  describe('appending events the server acknowledges as a retry', () => {
    it('returns the original result when the stored events have the same content', async () => {
      const events = [toAppend({ headline: 'Rates rise' })];
      const [original] = client.store('story-1', events);
      client.store('story-1', [toAppend()]);
      client.appendOutcome = () => Promise.resolve({ success: true, nextExpectedRevision: 0n, position: undefined });

      const result = await store.appendToStream('story-1', events, { expectedRevision: 'no_stream' });

      expect(result).toEqual({ nextExpectedRevision: 0n, position: original?.position });
    });

    it('conflicts when the id is stored with different content, which the server does not check', async () => {
      const event = toAppend({ headline: 'Rates rise' });
      client.store('story-1', [event]);
      client.appendOutcome = () => Promise.resolve({ success: true, nextExpectedRevision: 0n });

      const error = await rejectionOf(store.appendToStream('story-1', [{ ...event, data: { headline: 'Rates fall' } }]));

      expect(error).toEqual(new DuplicateEventIdConflict('story-1', event.eventId));
    });
  });

  describe('appending against a stream that moved on', () => {
    it('reports the expected and actual revisions when the events after the expectation are not ours', async () => {
      client.store('story-1', [toAppend(), toAppend()]);
      client.appendOutcome = () =>
        Promise.reject(new WrongExpectedVersionError(undefined, { streamName: 'story-1', expected: 'no_stream', current: 1n }));

      const error = await rejectionOf(store.appendToStream('story-1', [toAppend()], { expectedRevision: 'no_stream' }));

      expect(error).toEqual(new ExpectedRevisionConflict('story-1', 'no_stream', 1n));
    });

    it('reports -1n for a stream that does not exist', async () => {
      client.appendOutcome = () =>
        Promise.reject(new WrongExpectedVersionError(undefined, { streamName: 'story-1', expected: 'stream_exists', current: 'no_stream' }));

      const error = await rejectionOf(store.appendToStream('story-1', [toAppend()], { expectedRevision: 'stream_exists' }));

      expect(error).toMatchObject({ constructor: ExpectedRevisionConflict, expected: 'stream_exists', actual: -1n });
    });

    it('is a duplicate id when the server refused a partial retry', async () => {
      const kept = toAppend();
      client.store('story-1', [kept]);
      client.appendOutcome = () =>
        Promise.reject(new WrongExpectedVersionError(undefined, { streamName: 'story-1', expected: 'no_stream', current: 0n }));

      const error = await rejectionOf(store.appendToStream('story-1', [kept, toAppend()], { expectedRevision: 'no_stream' }));

      expect(error).toEqual(new DuplicateEventIdConflict('story-1', kept.eventId));
    });

    it('reads a failure result the same way when the connection string sets throwOnAppendFailure=false', async () => {
      client.store('story-1', [toAppend(), toAppend(), toAppend()]);
      client.appendOutcome = () => Promise.resolve({ success: false, nextExpectedRevision: 2n });

      const error = await rejectionOf(store.appendToStream('story-1', [toAppend()], { expectedRevision: 0n }));

      expect(error).toEqual(new ExpectedRevisionConflict('story-1', 0n, 2n));
    });
  });

  describe('appending no events', () => {
    it('writes nothing and checks the expected revision against the last event', async () => {
      expect(await store.appendToStream('story-1', [], { expectedRevision: 'no_stream' })).toEqual({
        nextExpectedRevision: -1n,
        position: START_POSITION,
      });
      const [, last] = client.store('story-1', [toAppend(), toAppend()]);
      expect(await store.appendToStream('story-1', [], { expectedRevision: 1n })).toEqual({ nextExpectedRevision: 1n, position: last?.position });
      await expect(store.appendToStream('story-1', [], { expectedRevision: 'no_stream' })).rejects.toEqual(
        new ExpectedRevisionConflict('story-1', 'no_stream', 1n),
      );
      expect(client.appends).toHaveLength(0);
    });
  });

  describe('appending events the store refuses before sending', () => {
    it('rejects a negative expected revision, an id that is not a UUID, and an id twice in one append', async () => {
      const event = toAppend();
      await expect(store.appendToStream('story-1', [event], { expectedRevision: -1n })).rejects.toBeInstanceOf(RangeError);
      await expect(store.appendToStream('story-1', [{ ...event, eventId: 'x' }])).rejects.toBeInstanceOf(TypeError);
      await expect(store.appendToStream('story-1', [event, event])).rejects.toBeInstanceOf(DuplicateEventIdConflict);
      expect(client.appends).toHaveLength(0);
    });
  });

  describe('when the server cannot be reached', () => {
    it('appends, reads and head position fail with EventStoreUnavailable', async () => {
      client.appendOutcome = () => Promise.reject(new UnavailableError(undefined, 'No connection established'));
      client.readFailure = new UnavailableError(undefined, 'No connection established');

      await expect(store.appendToStream('story-1', [toAppend()])).rejects.toBeInstanceOf(EventStoreUnavailable);
      await expect(store.readStream('story-1')).rejects.toBeInstanceOf(EventStoreUnavailable);
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailable);
    });

    it('lets other client errors through unchanged', async () => {
      const denied = new AccessDeniedError();
      client.readFailure = denied;
      await expect(store.headPosition()).rejects.toBe(denied);
    });
  });

  describe('reading a stream', () => {
    it('maps the events and raises StreamNotFound for a missing stream', async () => {
      const events = [toAppend({ n: 0 }), toAppend({ n: 1 }), toAppend({ n: 2 })];
      client.store('story-1', events);

      const read = await store.readStream('story-1', { fromRevision: 1n });

      expect(read.map((event: RecordedEvent) => [event.revision, event.eventId, event.data])).toEqual([
        [1n, events[1]?.eventId, { n: 1 }],
        [2n, events[2]?.eventId, { n: 2 }],
      ]);
      await expect(store.readStream('story-2')).rejects.toEqual(new StreamNotFound('story-2'));
    });

    it('reads forwards from the end as the last event alone, and maxCount 0 as nothing from an existing stream', async () => {
      const events = [toAppend(), toAppend()];
      client.store('story-1', events);

      expect((await store.readStream('story-1', { fromRevision: 'end' })).map((event) => event.eventId)).toEqual([events[1]?.eventId]);
      expect(await store.readStream('story-1', { maxCount: 0 })).toEqual([]);
      await expect(store.readStream('story-2', { maxCount: 0 })).rejects.toBeInstanceOf(StreamNotFound);
    });
  });

  describe('head position', () => {
    it('is the newest event that is not a system event, and stops the read there', async () => {
      const [, newest] = client.store('story-1', [toAppend(), toAppend()]);
      client.all.push(systemRecord());

      expect(await store.headPosition()).toEqual(newest?.position);
      expect(client.allReads[0]?.cancel).toHaveBeenCalled();
    });

    it('is null when the log holds only system events', async () => {
      client.all.push(systemRecord());
      expect(await store.headPosition()).toBeNull();
    });
  });

  describe('subscribing to all', () => {
    it('asks the server for the events after the position, filtered by prefix, and delivers ours mapped', async () => {
      const subscription = store.subscribeToAll({ fromPosition: { commit: 500n, prepare: 400n }, streamPrefixes: ['story-'] });
      const fed = client.subscriptions[0];
      expect(fed?.options).toMatchObject({ fromPosition: { commit: 500n, prepare: 400n }, filter: { filterOn: 'streamName', prefixes: ['story-'] } });

      const [record] = client.store('story-1', [toAppend({ n: 7 })]);
      fed?.source.push(systemRecord());
      if (record) fed?.source.push(record);
      const iterator = subscription[Symbol.asyncIterator]();

      await expect(iterator.next()).resolves.toMatchObject({ done: false, value: { streamId: 'story-1', data: { n: 7 }, position: record?.position } });
      await subscription.close();
    });

    it('subscribes from the start of the log for START_POSITION', () => {
      store.subscribeToAll({ fromPosition: START_POSITION });
      expect(client.subscriptions[0]?.options).toMatchObject({ fromPosition: 'start', filter: { filterOn: 'eventType' } });
    });

    it('close() ends a pending iteration and cancels the server call', async () => {
      const subscription = store.subscribeToAll({ streamPrefixes: ['story-'] });
      const pending = subscription[Symbol.asyncIterator]().next();

      await subscription.close();

      await expect(pending).resolves.toEqual({ done: true, value: undefined });
      expect(client.subscriptions[0]?.source.unsubscribe).toHaveBeenCalled();
    });

    it('leaving a for-await loop closes it, and it stays closed', async () => {
      const subscription = store.subscribeToAll({ streamPrefixes: ['story-'] });
      for (const record of client.store('story-1', [toAppend(), toAppend(), toAppend()])) client.subscriptions[0]?.source.push(record);

      let seen = 0;
      for await (const event of subscription) {
        expect(event.streamId).toBe('story-1');
        seen += 1;
        if (seen === 2) break;
      }

      expect(seen).toBe(2);
      await expect(subscription[Symbol.asyncIterator]().next()).resolves.toEqual({ done: true, value: undefined });
      expect(client.subscriptions[0]?.source.unsubscribe).toHaveBeenCalled();
    });

    it('fails with EventStoreUnavailable when the server drops or ends it, so the consumer restarts from its checkpoint', async () => {
      const dropped = store.subscribeToAll();
      client.subscriptions[0]?.source.fail(new UnavailableError(undefined, 'Connection lost'));
      await expect(dropped[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(EventStoreUnavailable);

      const ended = store.subscribeToAll();
      client.subscriptions[1]?.source.end();
      await expect(ended[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(EventStoreUnavailable);
      await expect(ended[Symbol.asyncIterator]().next()).resolves.toEqual({ done: true, value: undefined });
    });

    it('close() on the store closes open subscriptions and disposes of the client', async () => {
      const subscription = store.subscribeToAll();
      const pending = subscription[Symbol.asyncIterator]().next();

      await store.close();

      await expect(pending).resolves.toEqual({ done: true, value: undefined });
      expect(client.dispose).toHaveBeenCalled();
      expect(() => store.subscribeToAll()).toThrow(/closed/);
    });
  });
});
