import {
  AccessDeniedError,
  DeadlineExceededError,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { EventStoreUnavailable, ExpectedRevisionConflict, StreamNotFound } from '../event-store.errors';
import { isUnavailable, isWrongExpectedVersion, toEventStoreError } from './eventstoredb-errors';

describe('isWrongExpectedVersion', () => {
  it("recognises the client's WrongExpectedVersionError with its expected and actual versions", () => {
    const error: unknown = new WrongExpectedVersionError(undefined, { streamName: 'story-1', expected: 1n, current: 'no_stream' });
    expect(isWrongExpectedVersion(error)).toBe(true);
    expect(error).toMatchObject({ expectedVersion: 1n, actualVersion: 'no_stream' });
  });

  it('does not mistake other errors for it', () => {
    expect(isWrongExpectedVersion(new StreamNotFoundError(undefined, 'story-1'))).toBe(false);
    expect(isWrongExpectedVersion(new Error('wrong-expected-version'))).toBe(false);
  });
});

describe('isUnavailable', () => {
  it.each([
    ['an unavailable server', new UnavailableError()],
    ['a missed deadline', new DeadlineExceededError()],
    ['a node that is not the leader', { type: 'not-leader', message: 'Not leader' }],
    ['a server-side timeout', { type: 'timeout', message: 'Aborted' }],
    ['a failed cluster discovery', new Error('Failed to discover after 10 attempts.')],
    ['a refused connection', new Error('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:2113')],
  ])('treats %s as unavailability', (_name, error) => {
    expect(isUnavailable(error)).toBe(true);
  });

  it.each([
    ['a revision conflict', new WrongExpectedVersionError(undefined, { streamName: 's', expected: 'no_stream', current: 0n })],
    ['a missing stream', new StreamNotFoundError(undefined, 's')],
    ['denied access', new AccessDeniedError()],
    ['a bug', new TypeError('x is undefined')],
  ])('does not treat %s as unavailability', (_name, error) => {
    expect(isUnavailable(error)).toBe(false);
  });
});

describe('toEventStoreError', () => {
  it('passes the port errors through', () => {
    const error = new ExpectedRevisionConflict('story-1', 0n, 1n);
    expect(toEventStoreError(error, 'append')).toBe(error);
  });

  it('turns a missing or deleted stream into StreamNotFound for the stream read', () => {
    expect(toEventStoreError(new StreamNotFoundError(undefined, 'story-1'), 'read stream', 'story-1')).toEqual(new StreamNotFound('story-1'));
    expect(toEventStoreError(StreamDeletedError.fromStreamName('story-1'), 'read stream', 'story-1')).toBeInstanceOf(StreamNotFound);
  });

  it('wraps unavailability, keeping the cause and naming the operation', () => {
    const cause = new UnavailableError(undefined, 'No connection established');
    const error = toEventStoreError(cause, 'append');
    expect(error).toBeInstanceOf(EventStoreUnavailable);
    expect(error.message).toMatch(/EventStoreDB event store: append failed/);
    expect(error.cause).toBe(cause);
  });

  it('rethrows anything else unchanged', () => {
    const denied = new AccessDeniedError();
    expect(toEventStoreError(denied, 'head position')).toBe(denied);
  });
});
