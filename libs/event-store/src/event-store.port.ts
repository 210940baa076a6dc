/**
 * The one port every event store adapter implements. Its vocabulary follows EventStoreDB
 * (0-based stream revisions, `{ commit, prepare }` log positions, the four expected-revision
 * forms) so the EventStoreDB adapter is a thin translation and the PostgreSQL adapter has a
 * precise contract to meet.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * `any`: append whatever the stream holds. `no_stream`: the stream must not exist.
 * `stream_exists`: it must. A bigint: the revision of the stream's last event must be exactly this.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/**
 * A point in the global log. Totally ordered by (commit, prepare).
 * PostgreSQL: commit = writing transaction id, prepare = sequence number.
 * EventStoreDB: its own commit/prepare positions in the transaction file.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface EventToAppend {
  /** A UUID chosen by the caller; appending an id already stored is idempotent (see port doc). */
  readonly eventId: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

export interface RecordedEvent {
  readonly streamId: string;
  /** 0-based position of the event inside its stream. */
  readonly revision: bigint;
  readonly eventId: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly position: Position;
  /** When the store committed it (the store's clock, not the caller's). */
  readonly createdAt: Date;
}

export interface AppendResult {
  /** Revision of the last event now in the stream: pass it as `expectedRevision` for the next append. */
  readonly nextExpectedRevision: bigint;
  /** Position of the last appended event in the global log. */
  readonly position: Position;
}

export interface AppendOptions {
  /** Defaults to `any`. */
  readonly expectedRevision?: ExpectedRevision;
}

export interface ReadStreamOptions {
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: bigint | 'start' | 'end';
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface SubscribeToAllOptions {
  /** Exclusive: events strictly after this position are delivered. Defaults to the start of the log. */
  readonly fromPosition?: Position | 'start';
  /** Only streams whose id starts with one of these prefixes. Defaults to every stream. */
  readonly streamPrefixes?: readonly string[];
}

/** A span of the log for `readAllForwards`. */
export interface ReadAllOptions {
  /** Exclusive: the page starts after this position (START_POSITION for the beginning of the log). */
  readonly after: Position;
  /** Inclusive: a position `headPosition` returned, so that no event can still appear at or below it. */
  readonly through: Position;
  /** The most events returned. */
  readonly maxCount: number;
}

/**
 * A catch-up subscription: first the stored history after `fromPosition`, then live events,
 * each committed event exactly once, in global order. Ends when `close()` is called.
 */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  /**
   * Appends atomically. Idempotent on event ids: if every event id is already stored in this
   * stream with the same type, data and metadata, nothing is written and the original result is
   * returned. An id stored with different content raises `DuplicateEventIdConflict`.
   * @throws ExpectedRevisionConflict when `expectedRevision` does not hold.
   */
  appendToStream(streamId: string, events: readonly EventToAppend[], options?: AppendOptions): Promise<AppendResult>;

  /** @throws StreamNotFound when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<readonly RecordedEvent[]>;

  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;

  /**
   * Optional: one page of the stored log in global order, after `after` up to and including
   * `through`, at most `maxCount` events; fewer only when `through` is reached. A bulk reader for
   * a rebuild: plain keyset reads that the caller can issue ahead of time, without the live
   * machinery of a subscription. Callers fall back to `subscribeToAll` where it is missing.
   */
  readAllForwards?(options: ReadAllOptions): Promise<readonly RecordedEvent[]>;

  /** Position of the newest committed event, or null for an empty log. */
  headPosition(): Promise<Position | null>;

  close(): Promise<void>;
}

export const START_POSITION: Position = { commit: -1n, prepare: -1n };

export function comparePositions(a: Position, b: Position): -1 | 0 | 1 {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}
