import { Pool } from 'pg';
import type { ClientConfig, QueryResultRow } from 'pg';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store.port';
import { START_POSITION } from '../event-store.port';
import { DuplicateEventIdConflict, ExpectedRevisionConflict, StreamNotFound } from '../event-store.errors';
import type { AppendBatcherSettings, AppendOutcomeRow, GroupedAppend } from './append-batcher';
import { AppendBatcher } from './append-batcher';
import type { AppendListenerSettings } from './append-listener';
import { AppendListener } from './append-listener';
import { AppendNotifier } from './append-notifier';
import type { EventRow } from './event-rows';
import { positionParameters, toPosition, toRecordedEvent } from './event-rows';
import type { EventStoreLogger } from './event-store-logger';
import { consoleEventStoreLogger } from './event-store-logger';
import { assertValidExpectedRevision, NO_STREAM_REVISION, satisfiesExpectedRevision } from './expected-revision';
import type { StoredEventMatch } from './idempotency';
import { assertAppendableEvents, decideIdempotency } from './idempotency';
import type { SubscriptionSettings } from './postgres-all-subscription';
import { PostgresAllSubscription } from './postgres-all-subscription';
import {
  conflictingEventId,
  EVENT_ID_CONSTRAINT,
  isUniqueViolation,
  STREAM_REVISION_CONSTRAINT,
  toEventStoreError,
} from './postgres-errors';
import {
  APPEND_GROUP,
  APPEND_ONE,
  JSON_TEXTS_SEPARATOR,
  EXPECTED_ANY,
  EXPECTED_NO_STREAM,
  EXPECTED_STREAM_EXISTS,
  FIND_STORED_EVENTS,
  HEAD_POSITION,
  READ_ALL_RANGE,
  READ_STREAM_BACKWARDS,
  READ_STREAM_FORWARDS,
  STREAM_HEAD,
} from './postgres-event-store.sql';

export interface PostgresEventStoreOptions {
  readonly url: string;
  /**
   * Connections for appends, reads and subscription polls. Each subscription also holds one LISTEN
   * connection, and a store that has appended holds one more for notifications.
   */
  readonly poolSize?: number;
  readonly applicationName?: string;
  /** How long to wait for a connection (including a free pool slot) before EventStoreUnavailable. */
  readonly connectionTimeoutMs?: number;
  readonly logger?: EventStoreLogger;
  readonly subscription?: Partial<SubscriptionSettings & AppendListenerSettings>;
  /** Group commit of concurrent appends (append-batcher.ts): statements in flight, appends per statement. */
  readonly appendGroups?: Partial<AppendBatcherSettings>;
  /** Least time between two notifications to subscribers (append-notifier.ts). */
  readonly notifyIntervalMs?: number;
}

const DEFAULT_SUBSCRIPTION_SETTINGS: SubscriptionSettings & AppendListenerSettings = {
  batchSize: 500,
  safetyPollMs: 1_000,
  pendingPollMinMs: 10,
  // Under a steady stream of appends something is nearly always in flight below the newest
  // commit; a long backoff there turns straight into projection lag (benchmarked).
  pendingPollMaxMs: 25,
  reconnectMinMs: 100,
  reconnectMaxMs: 5_000,
};

/**
 * An append that loses a race with another process (a unique violation on the stream's next
 * revision, or on an event id) is tried again: each failed attempt means another append got in,
 * so `any` and `stream_exists` appends make progress, and the next attempt's snapshot sees the
 * winner. Within one process appends to a stream run one at a time (AppendBatcher), so this
 * only counts appends by other processes racing for the same stream: a loss is always someone
 * else's commit, never a livelock, and the bound is there only so that no loop is unbounded.
 */
const MAX_APPEND_ATTEMPTS = 100;

interface AppendInput {
  readonly ids: readonly string[];
  readonly types: readonly string[];
  readonly data: readonly string[];
  readonly metadata: readonly string[];
}

interface StoredEventRow {
  readonly index: string;
  readonly event_id: string;
  readonly stream_id: string;
  readonly stream_revision: string;
  readonly transaction_id: string;
  readonly global_position: string;
  readonly same_content: boolean;
}

interface GroupRow extends AppendOutcomeRow {
  readonly append_index: number;
}

/** What one attempt came to: a result, or another attempt after a race with another process. */
const RETRY: unique symbol = Symbol('retry');

interface RevisionRow {
  readonly revision: string;
}

interface PositionRow {
  readonly transaction_id: string;
  readonly global_position: string;
}

/**
 * The EventStore port on PostgreSQL, with pg directly on the hot path. An append is one statement
 * that relies on the unique indexes for its checks and reads the stream's head from its snapshot
 * before it writes, which keeps the global order gap-safe without a lock (see the migration
 * 1764001100000-append-without-locks); subscriptions are gap-safe catch-up readers
 * (postgres-all-subscription.ts). The schema is the event store migrations'.
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly logger: EventStoreLogger;
  private readonly listenerConfig: ClientConfig;
  private readonly settings: SubscriptionSettings & AppendListenerSettings;
  private readonly subscriptions = new Set<PostgresAllSubscription>();
  private readonly notifier: AppendNotifier;
  private readonly batcher: AppendBatcher;
  private closing: Promise<void> | null = null;

  constructor(options: PostgresEventStoreOptions) {
    const applicationName = options.applicationName ?? 'newsroom-event-store';
    const connectionTimeoutMillis = options.connectionTimeoutMs ?? 10_000;
    this.logger = options.logger ?? consoleEventStoreLogger;
    this.settings = { ...DEFAULT_SUBSCRIPTION_SETTINGS, ...options.subscription };
    this.pool = new Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      application_name: applicationName,
      connectionTimeoutMillis,
    });
    // An idle connection that dies is replaced by the pool; without a listener it would crash the process.
    this.pool.on('error', (error) => this.logger.warn('idle PostgreSQL connection failed', error));
    this.batcher = new AppendBatcher((appends) => this.runAppendGroup(appends), options.appendGroups);
    // Connections of their own, beside the pool: named after their role.
    const dedicated = (role: string): ClientConfig => ({ connectionString: options.url, application_name: `${applicationName}-${role}`, connectionTimeoutMillis });
    this.listenerConfig = dedicated('listener');
    this.notifier = new AppendNotifier(dedicated('notifier'), this.logger, options.notifyIntervalMs);
  }

  /**
   * An empty `events` list writes nothing: it checks `expectedRevision` and returns the stream's
   * current revision and the position of its last event, or -1n and START_POSITION for a stream
   * that does not exist.
   */
  async appendToStream(streamId: string, events: readonly EventToAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    assertValidExpectedRevision(expected);
    if (events.length === 0) return this.checkWithoutWriting(streamId, expected);
    assertAppendableEvents(streamId, events);
    const input: AppendInput = {
      ids: events.map((event) => event.eventId),
      types: events.map((event) => event.type),
      data: events.map((event) => JSON.stringify(event.data)),
      metadata: events.map((event) => JSON.stringify(event.metadata)),
    };

    for (let attempt = 1; ; attempt += 1) {
      let result: AppendResult | typeof RETRY;
      try {
        result = await this.appendOnce(streamId, input, expected, attempt < MAX_APPEND_ATTEMPTS);
      } catch (error) {
        throw toEventStoreError(error, 'append');
      }
      if (result === RETRY) continue;
      this.notifier.poke();
      return result;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    const direction = options.direction ?? 'forwards';
    const from = options.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
    const maxCount = options.maxCount ?? null;
    if (typeof from === 'bigint' && from < 0n) throw new RangeError(`fromRevision must be >= 0, got ${from}`);
    if (maxCount !== null && !(Number.isSafeInteger(maxCount) && maxCount >= 0)) {
      throw new RangeError(`maxCount must be a non-negative integer, got ${maxCount}`);
    }

    let rows: readonly EventRow[];
    if (direction === 'forwards') {
      // 'end' forwards is the last event alone: fromRevision is inclusive.
      const first = from === 'start' ? 0n : from === 'end' ? await this.currentRevision(streamId) : from;
      if (first === NO_STREAM_REVISION) throw new StreamNotFound(streamId);
      rows = await this.query<EventRow>(READ_STREAM_FORWARDS, [streamId, first.toString(), maxCount], 'read stream');
    } else {
      // 'start' backwards is the first event alone, for the same reason.
      const last = from === 'end' ? null : from === 'start' ? '0' : from.toString();
      rows = await this.query<EventRow>(READ_STREAM_BACKWARDS, [streamId, last, maxCount], 'read stream');
    }
    if (rows.length === 0 && (await this.currentRevision(streamId)) === NO_STREAM_REVISION) throw new StreamNotFound(streamId);
    return rows.map(toRecordedEvent);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    if (this.closing) throw new Error('The event store is closed');
    const subscription = new PostgresAllSubscription(
      this.pool,
      (onAppended) => new AppendListener(this.listenerConfig, onAppended, this.logger, this.settings),
      options,
      this.settings,
      (closed) => this.subscriptions.delete(closed),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async readAllForwards(options: ReadAllOptions): Promise<readonly RecordedEvent[]> {
    if (!Number.isSafeInteger(options.maxCount) || options.maxCount < 1) throw new Error(`maxCount must be a positive integer, got ${options.maxCount}`);
    const after = positionParameters(options.after);
    const through = positionParameters(options.through);
    const rows = await this.query<EventRow>(
      READ_ALL_RANGE,
      [after.transactionId, after.globalPosition, through.transactionId, through.globalPosition, options.maxCount],
      'read all',
    );
    return rows.map(toRecordedEvent);
  }

  /** Like the subscriptions, stops below the oldest running transaction: nothing can still appear before it. */
  async headPosition(): Promise<Position | null> {
    const [row] = await this.query<PositionRow>(HEAD_POSITION, [], 'head position');
    return row ? toPosition(row.transaction_id, row.global_position) : null;
  }

  /** Closes open subscriptions, then the pool. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
      await this.notifier.close();
      await this.pool.end();
    })();
    return this.closing;
  }

  /**
   * One round trip, often shared with concurrent appends (AppendBatcher). The statement checks
   * only the expected revision; the unique indexes reject a stored event id or a revision another
   * process wrote after the statement's snapshot. Only then, or on a revision conflict, does it
   * look further: a retry of an earlier append (every id stored, in this stream, with the same
   * content) gets the original result, whatever the stream's revision is now; stored events never
   * change, so that lookup needs no lock.
   */
  private async appendOnce(
    streamId: string,
    input: AppendInput,
    expected: ExpectedRevision,
    mayRetry: boolean,
  ): Promise<AppendResult | typeof RETRY> {
    let row: AppendOutcomeRow;
    try {
      row = await this.batcher.append({ streamId, expected: expectedParameter(expected), ...input });
    } catch (error) {
      const idTaken = isUniqueViolation(error, EVENT_ID_CONSTRAINT);
      const revisionTaken = isUniqueViolation(error, STREAM_REVISION_CONSTRAINT);
      if (!idTaken && !revisionTaken) throw error;
      const original = await this.storedAppend(streamId, input);
      if (original) return original;
      // The stream moved after the snapshot: an exact revision or no_stream no longer holds, the
      // others try again on a fresh snapshot. (A taken id that is not stored cannot happen: the
      // index only rejects it once the other writer committed.)
      const retryable = idTaken || expected === 'any' || expected === 'stream_exists';
      if (retryable && mayRetry) return RETRY;
      if (idTaken) throw new DuplicateEventIdConflict(streamId, conflictingEventId(error) ?? input.ids.join(', '));
      throw new ExpectedRevisionConflict(streamId, expected, await this.currentRevision(streamId));
    }
    if (row.revision !== null) {
      return { nextExpectedRevision: BigInt(row.revision), position: toPosition(row.transaction_id ?? '0', row.global_position ?? '0') };
    }
    const original = await this.storedAppend(streamId, input);
    if (original) return original;
    throw new ExpectedRevisionConflict(streamId, expected, BigInt(row.actual));
  }

  /**
   * The original result when this append's events are all stored already (a retry); null when
   * none of them is; DuplicateEventIdConflict when some are, or they are stored differently.
   */
  private async storedAppend(streamId: string, input: AppendInput): Promise<AppendResult | null> {
    const stored = await this.pool.query<StoredEventRow>(FIND_STORED_EVENTS, [input.ids, input.types, input.data, input.metadata]);
    const decision = decideIdempotency(streamId, input.ids.length, stored.rows.map(toStoredMatch));
    switch (decision.kind) {
      case 'write':
        return null;
      case 'already-appended':
        return decision.result;
      case 'conflict':
        throw new DuplicateEventIdConflict(streamId, decision.eventId);
      default: {
        const unexpected: never = decision;
        throw new TypeError(`Unknown idempotency decision ${JSON.stringify(unexpected)}`);
      }
    }
  }

  /**
   * The appends as one statement; its rows back in the appends' order. One append of one event,
   * the common case, goes as the plain prepared statement; anything else as the group function.
   * The batcher never puts one stream twice in a group, which the group statement relies on.
   */
  private async runAppendGroup(appends: readonly GroupedAppend[]): Promise<readonly AppendOutcomeRow[]> {
    const [only] = appends;
    if (only && appends.length === 1 && only.ids.length === 1) {
      const { rows } = await this.pool.query<GroupRow>({
        ...APPEND_ONE,
        values: [only.streamId, only.expected, only.ids[0], only.types[0], only.data[0], only.metadata[0]],
      });
      return rows;
    }
    const owners: number[] = [];
    const places: number[] = [];
    const ids: string[] = [];
    const types: string[] = [];
    const data: string[] = [];
    const metadata: string[] = [];
    appends.forEach((append, index) => {
      for (let i = 0; i < append.ids.length; i += 1) {
        owners.push(index + 1);
        places.push(i + 1);
      }
      ids.push(...append.ids);
      types.push(...append.types);
      data.push(...append.data);
      metadata.push(...append.metadata);
    });
    const { rows } = await this.pool.query<GroupRow>({
      ...APPEND_GROUP,
      values: [
        appends.map((append) => append.streamId),
        appends.map((append) => append.expected),
        owners,
        places,
        ids,
        types,
        data.join(JSON_TEXTS_SEPARATOR),
        metadata.join(JSON_TEXTS_SEPARATOR),
      ],
    });
    const byIndex = new Map(rows.map((row) => [row.append_index, row]));
    return appends.map((append, index) => {
      const row = byIndex.get(index + 1);
      if (!row) throw new Error(`Appending to "${append.streamId}" returned no outcome`);
      return row;
    });
  }

  private async checkWithoutWriting(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const [head] = await this.query<RevisionRow & PositionRow>(STREAM_HEAD, [streamId], 'append');
    const actual = head ? BigInt(head.revision) : NO_STREAM_REVISION;
    if (!satisfiesExpectedRevision(expected, actual)) throw new ExpectedRevisionConflict(streamId, expected, actual);
    return { nextExpectedRevision: actual, position: head ? toPosition(head.transaction_id, head.global_position) : START_POSITION };
  }

  private async currentRevision(streamId: string): Promise<bigint> {
    const [row] = await this.query<RevisionRow>(STREAM_HEAD, [streamId], 'read stream revision');
    return row ? BigInt(row.revision) : NO_STREAM_REVISION;
  }

  private async query<R extends QueryResultRow>(sql: string, params: readonly unknown[], operation: string): Promise<R[]> {
    try {
      const { rows } = await this.pool.query<R>(sql, [...params]);
      return rows;
    } catch (error) {
      throw toEventStoreError(error, operation);
    }
  }
}

export function createPostgresEventStore(options: PostgresEventStoreOptions): PostgresEventStore {
  return new PostgresEventStore(options);
}

function expectedParameter(expected: ExpectedRevision): string {
  if (typeof expected === 'bigint') return expected.toString();
  switch (expected) {
    case 'any':
      return EXPECTED_ANY;
    case 'no_stream':
      return EXPECTED_NO_STREAM;
    case 'stream_exists':
      return EXPECTED_STREAM_EXISTS;
    default: {
      const unexpected: never = expected;
      throw new TypeError(`Unknown expected revision ${String(unexpected)}`);
    }
  }
}

function toStoredMatch(row: StoredEventRow): StoredEventMatch {
  return {
    index: Number(row.index),
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: BigInt(row.stream_revision),
    position: toPosition(row.transaction_id, row.global_position),
    sameContent: row.same_content,
  };
}
