import type { ExpectedRevision } from './event-store.port';

/** Base class so callers can tell store errors from everything else with one `instanceof`. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

/** The stream's actual revision did not match the caller's expectation. `actual` is -1n when the stream does not exist. */
export class ExpectedRevisionConflict extends EventStoreError {
  readonly code = 'EXPECTED_REVISION_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint,
  ) {
    super(`Stream "${streamId}": expected revision ${String(expected)}, actual ${actual === -1n ? 'no stream' : actual.toString()}`);
    this.name = 'ExpectedRevisionConflict';
  }
}

export class StreamNotFound extends EventStoreError {
  readonly code = 'STREAM_NOT_FOUND';
  constructor(readonly streamId: string) {
    super(`Stream "${streamId}" not found`);
    this.name = 'StreamNotFound';
  }
}

/** An event id that is already stored was appended again with different content (or to another stream). */
export class DuplicateEventIdConflict extends EventStoreError {
  readonly code = 'DUPLICATE_EVENT_ID_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`Event ${eventId} is already stored with different content`);
    this.name = 'DuplicateEventIdConflict';
  }
}

/** The store could not be reached or failed for a reason that is not the caller's fault. */
export class EventStoreUnavailable extends EventStoreError {
  readonly code = 'EVENT_STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailable';
  }
}
