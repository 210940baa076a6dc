import {
  ANY,
  BACKWARDS,
  END,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  streamNameFilter,
  type AppendExpectedRevision,
  type CurrentRevision,
  type Direction,
  type EventData,
  type Filter,
  type ReadPosition,
  type ReadRevision,
} from '@eventstore/db-client';
import type {
  EventToAppend,
  ExpectedRevision,
  JsonObject,
  Position,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store.port';
import { NO_STREAM_REVISION } from '../postgres/expected-revision';

/**
 * The port's vocabulary was modelled on EventStoreDB's, so most of this is a one-to-one
 * translation; the exceptions (a forwards read from `end`, a backwards read from `start`,
 * `maxCount: 0`, the start of the log) are spelled out where they happen.
 */

export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (typeof expected === 'bigint') return expected;
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default: {
      const unexpected: never = expected;
      throw new TypeError(`Unknown expected revision ${String(unexpected)}`);
    }
  }
}

/** The client says `no_stream` where the port says -1n (`ExpectedRevisionConflict.actual`). */
export function fromClientCurrentRevision(current: CurrentRevision): bigint {
  return current === NO_STREAM ? NO_STREAM_REVISION : current;
}

export function fromClientPosition(position: { readonly commit: bigint; readonly prepare: bigint }): Position {
  return { commit: position.commit, prepare: position.prepare };
}

/**
 * Where a subscription starts. EventStoreDB's subscribe-from-position is exclusive, like the port's.
 * START_POSITION (-1n, -1n) is not a position EventStoreDB knows: it, and anything else before the
 * first record, means "from the start of the log".
 */
export function toSubscriptionStart(from: SubscribeToAllOptions['fromPosition']): ReadPosition {
  if (from === undefined || from === 'start' || from.commit < 0n || from.prepare < 0n) return START;
  return { commit: from.commit, prepare: from.prepare };
}

/**
 * The server-side filter: one filter per subscription is all EventStoreDB takes, so a prefix filter
 * (which already keeps `$` system streams out, as no prefix of ours starts with `$`) or, without
 * prefixes, the filter that drops system event types. `isDeliverable` checks both on the client too.
 */
export function toSubscriptionFilter(streamPrefixes: readonly string[]): Filter {
  return streamPrefixes.length > 0 ? streamNameFilter({ prefixes: [...streamPrefixes] }) : excludeSystemEvents();
}

/** EventStoreDB's own records: `$stats-…`, `$settings`, link events (`$>`), projection output. */
export function isSystemEvent(event: { readonly streamId: string; readonly type: string }): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

export function isDeliverable(event: { readonly streamId: string; readonly type: string }, streamPrefixes: readonly string[]): boolean {
  if (isSystemEvent(event)) return false;
  return streamPrefixes.length === 0 || streamPrefixes.some((prefix) => event.streamId.startsWith(prefix));
}

/**
 * Data and metadata both go as JSON (content type application/json; metadata as the JSON custom
 * metadata), so the hash chain's metadata object comes back exactly as it was sealed. The event id
 * is the caller's: it is what EventStoreDB deduplicates retries by.
 */
export function toEventData(event: EventToAppend): EventData {
  return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata: event.metadata });
}

/** What the client hands back for a stored event (its `RecordedEvent`), as far as the port needs it. */
export interface ClientRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly created: Date;
  readonly position?: { readonly commit: bigint; readonly prepare: bigint } | undefined;
}

export function toRecordedEvent(event: ClientRecordedEvent): RecordedEvent {
  if (!event.isJson || !isJsonObject(event.data)) {
    throw new TypeError(`Event ${event.id} in "${event.streamId}" is not a JSON object; this store only writes JSON objects`);
  }
  // An event written with no custom metadata comes back without any.
  const metadata = event.metadata === undefined ? {} : event.metadata;
  if (!isJsonObject(metadata)) throw new TypeError(`Event ${event.id} in "${event.streamId}" has metadata that is not a JSON object`);
  if (!event.position) {
    // Stream reads carry positions from EventStoreDB 22.6 on; the port needs them on every event.
    throw new Error(`EventStoreDB did not report the position of event ${event.id}; version 22.6 or later is required`);
  }
  return {
    streamId: event.streamId,
    revision: event.revision,
    eventId: event.id,
    type: event.type,
    data: event.data,
    metadata,
    position: fromClientPosition(event.position),
    createdAt: event.created,
  };
}

/** Parsed JSON, so an object that is not an array or a byte buffer is a JSON object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** One read request, and how many of its events the port's caller asked for. */
export interface StreamReadPlan {
  readonly fromRevision: ReadRevision;
  readonly direction: Direction;
  /** Never 0: a read of nothing would not tell a missing stream from an existing one. */
  readonly maxCount: number;
  /** Events to keep from the read, when fewer than `maxCount`. */
  readonly take?: number;
}

/**
 * The port's `fromRevision` is inclusive in both directions, so a forwards read from `end` is the
 * last event alone and a backwards read from `start` the first event alone; EventStoreDB would
 * return nothing for either. `maxCount: 0` still reads one event, so StreamNotFound is still raised.
 */
export function planStreamRead(options: ReadStreamOptions): StreamReadPlan {
  const direction = options.direction ?? 'forwards';
  const from = options.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
  const requested = options.maxCount;
  if (typeof from === 'bigint' && from < 0n) throw new RangeError(`fromRevision must be >= 0, got ${from}`);
  if (requested !== undefined && !(Number.isSafeInteger(requested) && requested >= 0)) {
    throw new RangeError(`maxCount must be a non-negative integer, got ${requested}`);
  }

  const single = (from === 'end' && direction === 'forwards') || (from === 'start' && direction === 'backwards');
  const wanted = single ? Math.min(requested ?? 1, 1) : requested;
  const fromRevision: ReadRevision = from === 'start' ? (direction === 'forwards' ? START : 0n) : from === 'end' ? END : from;
  const readDirection: Direction = direction === 'forwards' && from !== 'end' ? FORWARDS : BACKWARDS;
  const maxCount = wanted === undefined ? Number.MAX_SAFE_INTEGER : Math.max(wanted, 1);
  return wanted === 0 ? { fromRevision, direction: readDirection, maxCount, take: 0 } : { fromRevision, direction: readDirection, maxCount };
}
