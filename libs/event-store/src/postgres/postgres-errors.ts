import { EventStoreError, EventStoreUnavailable } from '../event-store.errors';

export const EVENT_ID_CONSTRAINT = 'events_event_id_key';
export const STREAM_REVISION_CONSTRAINT = 'events_stream_id_stream_revision_key';

const UNIQUE_VIOLATION = '23505';

/** SQLSTATE classes and codes that say "the server cannot serve us now", not "your request is wrong". */
const UNAVAILABLE_SQLSTATE_CLASSES = ['08', '53', '58'];
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** node-postgres reports lost connections and pool timeouts as plain Errors without a code. */
const UNAVAILABLE_MESSAGES =
  /^Connection terminated|timeout exceeded when trying to connect|is not queryable|is not currently accepting connections|the database system is (starting up|shutting down|in recovery mode)/;

function field(error: unknown, name: 'code' | 'constraint' | 'detail' | 'message'): string | undefined {
  if (typeof error !== 'object' || error === null || !(name in error)) return undefined;
  const value: unknown = (error as Record<typeof name, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return field(error, 'code') === UNIQUE_VIOLATION && field(error, 'constraint') === constraint;
}

export function isConnectionError(error: unknown): boolean {
  const code = field(error, 'code');
  if (code !== undefined) {
    if (UNAVAILABLE_SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
  }
  return UNAVAILABLE_MESSAGES.test(field(error, 'message') ?? '');
}

/** The id named in a unique violation's detail: `Key (event_id)=(<uuid>) already exists.` */
export function conflictingEventId(error: unknown): string | undefined {
  return /\(event_id\)=\(([^)]+)\)/.exec(field(error, 'detail') ?? '')?.[1];
}

/**
 * The port's errors pass through; failures to reach the database become EventStoreUnavailable;
 * anything else (a bug, a constraint we did not expect) is rethrown as it is, never hidden.
 */
export function toEventStoreError(error: unknown, operation: string): Error {
  if (error instanceof EventStoreError) return error;
  if (isConnectionError(error)) {
    return new EventStoreUnavailable(`PostgreSQL event store: ${operation} failed: ${field(error, 'message') ?? String(error)}`, {
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(`PostgreSQL event store: ${operation} failed: ${String(error)}`);
}
