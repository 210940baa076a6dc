import { EventStoreUnavailable } from '@newsroom/event-store';

/**
 * SQLSTATEs that say "try again", not "this event cannot be projected":
 * - class 08 (connection), 53 (resources), 58 (system), 57P01-03 (server shutting down/restarting);
 * - 40001/40P01 (serialization failure, deadlock), 55P03 (lock not available), 57014 (cancelled);
 * - 42P01 (undefined table) and XX000 "could not open relation": what a statement that raced a
 *   rebuild's schema swap can see. The retry reloads the checkpoint from the swapped-in schema.
 */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53', '58']);
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01', '55P03', '57014', '42P01']);
const TRANSIENT_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** node-postgres and TypeORM report lost connections and pool timeouts as plain Errors without a code. */
const TRANSIENT_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|is not queryable|Client has encountered a connection error|could not open relation with OID|Query runner already released|Connection is not established/;

function field(error: object, name: string): unknown {
  return name in error ? (error as Record<string, unknown>)[name] : undefined;
}

/**
 * True when retrying the same batch later may well succeed: the database was unreachable, busy
 * or in the middle of a swap. Everything else (a ProjectionError, a constraint the projection
 * violated, a bug) is a failure of the projection and must stop it. Follows `cause` and
 * TypeORM's `driverError`, since both wrap the pg error that carries the code.
 */
export function isTransientError(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (error instanceof EventStoreUnavailable) return true;
  const code = field(error, 'code');
  if (typeof code === 'string') {
    if (TRANSIENT_SOCKET_CODES.has(code) || TRANSIENT_SQLSTATES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2))) return true;
  }
  const message = field(error, 'message');
  if (typeof message === 'string' && TRANSIENT_MESSAGES.test(message)) return true;
  return isTransientError(field(error, 'driverError'), depth + 1) || isTransientError(field(error, 'cause'), depth + 1);
}
