import { EventStoreUnavailable, StreamNotFound } from '../event-store.errors';
import { conflictingEventId, EVENT_ID_CONSTRAINT, isConnectionError, isUniqueViolation, toEventStoreError } from './postgres-errors';

function pgError(fields: { code: string; constraint?: string; detail?: string; message?: string }): Error {
  return Object.assign(new Error(fields.message ?? 'database error'), fields);
}

describe('isUniqueViolation', () => {
  it('matches the SQLSTATE and the named constraint', () => {
    expect(isUniqueViolation(pgError({ code: '23505', constraint: EVENT_ID_CONSTRAINT }), EVENT_ID_CONSTRAINT)).toBe(true);
    expect(isUniqueViolation(pgError({ code: '23505', constraint: 'other_key' }), EVENT_ID_CONSTRAINT)).toBe(false);
    expect(isUniqueViolation(pgError({ code: '23503', constraint: EVENT_ID_CONSTRAINT }), EVENT_ID_CONSTRAINT)).toBe(false);
  });
});

describe('isConnectionError', () => {
  it.each([
    ['a refused socket', pgError({ code: 'ECONNREFUSED' })],
    ['a connection exception SQLSTATE', pgError({ code: '08006' })],
    ['too many connections', pgError({ code: '53300' })],
    ['an administrator shutdown', pgError({ code: '57P01' })],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['a database closed to connections', pgError({ code: '55000', message: 'database "news" is not currently accepting connections' })],
    ['a server still starting', pgError({ code: '57P03', message: 'the database system is starting up' })],
  ])('treats %s as unavailability', (_name, error) => {
    expect(isConnectionError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError({ code: '23505' })],
    ['a syntax error', pgError({ code: '42601' })],
    ['a cancelled query', pgError({ code: '57014' })],
    ['a bug', new TypeError('x is undefined')],
  ])('does not treat %s as unavailability', (_name, error) => {
    expect(isConnectionError(error)).toBe(false);
  });
});

describe('conflictingEventId', () => {
  it('reads the id from the unique violation detail', () => {
    const detail = 'Key (event_id)=(0b7f2a51-6a55-4a5e-8d0b-0d52b9f0a6c1) already exists.';
    expect(conflictingEventId(pgError({ code: '23505', detail }))).toBe('0b7f2a51-6a55-4a5e-8d0b-0d52b9f0a6c1');
  });
});

describe('toEventStoreError', () => {
  it('passes the port errors through', () => {
    const error = new StreamNotFound('story-1');
    expect(toEventStoreError(error, 'read')).toBe(error);
  });

  it('wraps connection failures, keeping the cause', () => {
    const cause = pgError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' });
    const error = toEventStoreError(cause, 'append');
    expect(error).toBeInstanceOf(EventStoreUnavailable);
    expect(error.cause).toBe(cause);
  });

  it('rethrows anything else unchanged', () => {
    const bug = new TypeError('x is undefined');
    expect(toEventStoreError(bug, 'append')).toBe(bug);
  });
});
