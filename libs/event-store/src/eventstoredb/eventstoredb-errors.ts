import { type CurrentRevision, type AppendExpectedRevision } from '@eventstore/db-client';
import { EventStoreError, EventStoreUnavailable, StreamNotFound } from '../event-store.errors';

/**
 * The client's error classes carry a string `type` (its ErrorType enum). Matching on that rather
 * than on `instanceof` keeps the translation right even if two copies of the client are installed.
 */
const UNAVAILABLE_TYPES = new Set([
  'unavailable',
  'deadline-exceeded',
  // ABORTED from the server: it gave up waiting (e.g. for a quorum), not a verdict on the request.
  'timeout',
  // The client reconnects to the leader it names; until then, the call failed for want of it.
  'not-leader',
  // Cancelled by the server (shutting down, dropping a subscription), not by us.
  'cancelled',
]);
const STREAM_GONE_TYPES = new Set(['stream-not-found', 'stream-deleted']);
/** Plain Errors from the client's cluster discovery and gRPC channel set-up. */
const UNAVAILABLE_MESSAGES = /^Failed to discover after \d+ attempts|No connection established|ECONNREFUSED|ENOTFOUND|EAI_AGAIN/;

export interface ClientWrongExpectedVersion {
  readonly type: 'wrong-expected-version';
  readonly streamName: string;
  readonly expectedVersion: AppendExpectedRevision;
  readonly actualVersion: CurrentRevision;
}

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null && name in error ? (error as Record<string, unknown>)[name] : undefined;
}

function errorType(error: unknown): string | undefined {
  const type = field(error, 'type');
  return typeof type === 'string' ? type : undefined;
}

function message(error: unknown): string {
  const text = field(error, 'message');
  return typeof text === 'string' && text !== '' ? text : String(error);
}

export function isWrongExpectedVersion(error: unknown): error is ClientWrongExpectedVersion {
  return errorType(error) === 'wrong-expected-version';
}

export function isUnavailable(error: unknown): boolean {
  const type = errorType(error);
  if (type !== undefined && UNAVAILABLE_TYPES.has(type)) return true;
  return UNAVAILABLE_MESSAGES.test(message(error));
}

/** Stream not found, or deleted: either way the stream has no events to read. */
export function isStreamGone(error: unknown): boolean {
  const type = errorType(error);
  return type !== undefined && STREAM_GONE_TYPES.has(type);
}

/**
 * The port's errors pass through; a stream that is not there becomes StreamNotFound, a server that
 * cannot be reached EventStoreUnavailable; anything else (access denied, a bug) is rethrown as it
 * is, never hidden.
 */
export function toEventStoreError(error: unknown, operation: string, streamId?: string): Error {
  if (error instanceof EventStoreError) return error;
  if (streamId !== undefined && isStreamGone(error)) return new StreamNotFound(streamId);
  if (isUnavailable(error)) {
    return new EventStoreUnavailable(`EventStoreDB event store: ${operation} failed: ${message(error)}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(`EventStoreDB event store: ${operation} failed: ${String(error)}`);
}
