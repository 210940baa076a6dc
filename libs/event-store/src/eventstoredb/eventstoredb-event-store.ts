import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  type AppendResult as ClientAppendResult,
  type AppendToStreamOptions,
  type EventData,
  type ReadAllOptions,
  type ReadStreamOptions as ClientReadStreamOptions,
  type SubscribeToAllOptions as ClientSubscribeToAllOptions,
} from '@eventstore/db-client';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  Position,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store.port';
import { START_POSITION } from '../event-store.port';
import { DuplicateEventIdConflict, ExpectedRevisionConflict, StreamNotFound } from '../event-store.errors';
import { consoleEventStoreLogger, type EventStoreLogger } from '../postgres/event-store-logger';
import { assertValidExpectedRevision, NO_STREAM_REVISION, satisfiesExpectedRevision } from '../postgres/expected-revision';
import { assertAppendableEvents } from '../postgres/idempotency';
import { explainWrongExpectedVersion, revisionsToInspect, verifyAppended } from './append-verification';
import { EventStoreDbAllSubscription, type ClientAllSubscription } from './eventstoredb-all-subscription';
import { isWrongExpectedVersion, toEventStoreError } from './eventstoredb-errors';
import {
  fromClientCurrentRevision,
  fromClientPosition,
  isSystemEvent,
  planStreamRead,
  toClientExpectedRevision,
  toEventData,
  toRecordedEvent,
  toSubscriptionFilter,
  toSubscriptionStart,
  type ClientRecordedEvent,
} from './eventstoredb-mapping';

interface ClientRead extends AsyncIterable<{ readonly event?: ClientRecordedEvent | undefined }> {
  cancel(): Promise<void>;
}

/** The part of `EventStoreDBClient` the adapter uses: small enough to script in unit tests. */
export interface EventStoreDbClient {
  appendToStream(streamName: string, events: EventData[], options: AppendToStreamOptions): Promise<ClientAppendResult>;
  readStream(streamName: string, options: ClientReadStreamOptions): ClientRead;
  readAll(options: ReadAllOptions): ClientRead;
  subscribeToAll(options: ClientSubscribeToAllOptions): ClientAllSubscription;
  dispose(): Promise<void>;
}

export interface EventStoreDbEventStoreOptions {
  /** `esdb://host:2113?tls=false`, `esdb+discover://…` for a cluster; credentials must allow reading `$all`. */
  readonly connectionString: string;
  readonly logger?: EventStoreLogger;
}

/**
 * The EventStore port on EventStoreDB. Appends, reads and subscriptions are the server's own; what
 * the adapter adds is the port's stronger idempotency promise (append-verification.ts): every
 * acknowledged append is read back from the leader and compared, one extra read per append.
 *
 * What EventStoreDB does not give, and this adapter does not pretend to: an event id is unique per
 * stream, not across streams (the same id can be appended to two streams), and with `any` /
 * `stream_exists` its deduplication is best effort (an in-memory cache of recent ids). With
 * `no_stream` or an exact revision, which is how the API appends, a retry is always recognised.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<EventStoreDbAllSubscription>();
  private closing: Promise<void> | null = null;

  constructor(
    private readonly client: EventStoreDbClient,
    private readonly logger: EventStoreLogger = consoleEventStoreLogger,
  ) {}

  /**
   * An empty `events` list writes nothing: it checks `expectedRevision` against the last event and
   * returns its revision and position, or -1n and START_POSITION for a stream that does not exist.
   */
  async appendToStream(streamId: string, events: readonly EventToAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    assertValidExpectedRevision(expected);
    if (events.length === 0) return this.checkWithoutWriting(streamId, expected);
    assertAppendableEvents(streamId, events);

    let acknowledged: ClientAppendResult;
    try {
      acknowledged = await this.client.appendToStream(streamId, events.map(toEventData), {
        expectedRevision: toClientExpectedRevision(expected),
      });
    } catch (error) {
      if (isWrongExpectedVersion(error)) throw await this.explainConflict(streamId, events, expected, fromClientCurrentRevision(error.actualVersion));
      throw toEventStoreError(error, 'append');
    }
    // `throwOnAppendFailure=false` in the connection string turns WrongExpectedVersion into a result.
    if (!acknowledged.success) throw await this.explainConflict(streamId, events, expected, acknowledged.nextExpectedRevision);

    const first = acknowledged.nextExpectedRevision - BigInt(events.length - 1);
    const verdict = verifyAppended(streamId, events, await this.readRange(streamId, first, events.length));
    switch (verdict.kind) {
      case 'appended':
        return verdict.result;
      case 'duplicate':
        throw new DuplicateEventIdConflict(streamId, verdict.eventId);
      default: {
        const unexpected: never = verdict;
        throw new TypeError(`Unknown append verdict ${JSON.stringify(unexpected)}`);
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    const plan = planStreamRead(options);
    const events = await this.collect(
      this.client.readStream(streamId, { fromRevision: plan.fromRevision, direction: plan.direction, maxCount: plan.maxCount }),
      'read stream',
      streamId,
    );
    return plan.take === undefined ? events : events.slice(0, plan.take);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    if (this.closing) throw new Error('The event store is closed');
    const prefixes = [...(options.streamPrefixes ?? [])];
    const source = this.client.subscribeToAll({
      fromPosition: toSubscriptionStart(options.fromPosition),
      filter: toSubscriptionFilter(prefixes),
    });
    const subscription = new EventStoreDbAllSubscription(source, prefixes, this.logger, (closed) => this.subscriptions.delete(closed));
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The newest event that is not EventStoreDB's own (statistics, settings, links), or null. */
  async headPosition(): Promise<Position | null> {
    const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS });
    let found: ClientRecordedEvent | undefined;
    try {
      for await (const { event } of read) {
        if (event && !isSystemEvent(event)) {
          found = event;
          break;
        }
      }
    } catch (error) {
      throw toEventStoreError(error, 'head position');
    }
    if (!found) return null;
    // Stopped early: the server would otherwise keep streaming the rest of the log backwards.
    await this.cancel(read);
    if (!found.position) throw new Error(`EventStoreDB did not report the position of event ${found.id} read from $all`);
    return fromClientPosition(found.position);
  }

  /** Closes open subscriptions, then the client's streams. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
      await this.client.dispose();
    })();
    return this.closing;
  }

  private async checkWithoutWriting(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const [last] = await this.readOrNothing(streamId, { fromRevision: END, direction: BACKWARDS, maxCount: 1 });
    const actual = last ? last.revision : NO_STREAM_REVISION;
    if (!satisfiesExpectedRevision(expected, actual)) throw new ExpectedRevisionConflict(streamId, expected, actual);
    return { nextExpectedRevision: actual, position: last ? last.position : START_POSITION };
  }

  private async explainConflict(
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
    actual: bigint,
  ): Promise<ExpectedRevisionConflict | DuplicateEventIdConflict> {
    const range = revisionsToInspect(expected, actual, events.length);
    const stored = range ? await this.readRange(streamId, range.from, range.count) : [];
    return explainWrongExpectedVersion(streamId, events, expected, actual, stored);
  }

  /** From the leader, which has every acknowledged append: a follower may not have it yet. */
  private readRange(streamId: string, from: bigint, count: number): Promise<RecordedEvent[]> {
    return this.readOrNothing(streamId, { fromRevision: from, maxCount: count, requiresLeader: true });
  }

  private async readOrNothing(streamId: string, options: ClientReadStreamOptions): Promise<RecordedEvent[]> {
    try {
      return await this.collect(this.client.readStream(streamId, options), 'read stream', streamId);
    } catch (error) {
      if (error instanceof StreamNotFound) return [];
      throw error;
    }
  }

  private async collect(read: ClientRead, operation: string, streamId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const { event } of read) if (event) events.push(toRecordedEvent(event));
    } catch (error) {
      throw toEventStoreError(error, operation, streamId);
    }
    return events;
  }

  private async cancel(read: ClientRead): Promise<void> {
    try {
      await read.cancel();
    } catch (error) {
      this.logger.warn('cancelling an EventStoreDB read failed', error);
    }
  }
}

export function createEventStoreDbEventStore(options: EventStoreDbEventStoreOptions): EventStoreDbEventStore {
  return new EventStoreDbEventStore(EventStoreDBClient.connectionString(options.connectionString), options.logger);
}
