import type { EventStore } from './event-store.port';
import { EventStoreUnavailable } from './event-store.errors';
import {
  assertReachable,
  createEventStore,
  describeEventStore,
  eventStoreSettingsFromEnv,
  EventStoreSettingsError,
  redactPassword,
} from './create-event-store';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

describe('eventStoreSettingsFromEnv', () => {
  it('defaults to PostgreSQL at DATABASE_URL', () => {
    expect(eventStoreSettingsFromEnv({ DATABASE_URL: 'postgres://db/news' })).toEqual({ kind: 'postgres', url: 'postgres://db/news' });
  });

  it('selects EventStoreDB at EVENTSTORE_CONNECTION_STRING', () => {
    expect(eventStoreSettingsFromEnv({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://es:2113?tls=false' })).toEqual({
      kind: 'eventstoredb',
      connectionString: 'esdb://es:2113?tls=false',
    });
  });

  it('names the missing variable or the unknown store', () => {
    expect(() => eventStoreSettingsFromEnv({})).toThrow(/DATABASE_URL/);
    expect(() => eventStoreSettingsFromEnv({ EVENT_STORE: 'eventstoredb' })).toThrow(/EVENTSTORE_CONNECTION_STRING/);
    expect(() => eventStoreSettingsFromEnv({ EVENT_STORE: 'mongo' })).toThrow(EventStoreSettingsError);
  });
});

describe('createEventStore', () => {
  it('builds the adapter the settings name, without connecting', async () => {
    const postgres = createEventStore({ kind: 'postgres', url: 'postgres://127.0.0.1:1/none' });
    const eventStoreDb = createEventStore({ kind: 'eventstoredb', connectionString: 'esdb://127.0.0.1:1?tls=false' });
    try {
      expect(postgres).toBeInstanceOf(PostgresEventStore);
      expect(eventStoreDb).toBeInstanceOf(EventStoreDbEventStore);
    } finally {
      await Promise.all([postgres.close(), eventStoreDb.close()]);
    }
  });
});

describe('describeEventStore', () => {
  it('names the store and its address, masking a password', () => {
    expect(describeEventStore({ kind: 'eventstoredb', connectionString: 'esdb://admin:changeit@es1:2113,es2:2113?tls=true' })).toBe(
      'EventStoreDB at esdb://admin:***@es1:2113,es2:2113?tls=true',
    );
    expect(describeEventStore({ kind: 'postgres', url: 'postgres://news:s3cr%40t@db:5432/news' })).toBe(
      'PostgreSQL event store at postgres://news:***@db:5432/news',
    );
  });

  it('leaves an address without credentials as it is', () => {
    expect(redactPassword('esdb://es:2113?tls=false')).toBe('esdb://es:2113?tls=false');
    expect(redactPassword('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
  });
});

describe('assertReachable', () => {
  function storeWhoseHead(head: () => Promise<null>): EventStore & { close: jest.Mock } {
    return {
      headPosition: head,
      close: jest.fn(() => Promise.resolve()),
      appendToStream: () => Promise.reject(new Error('unused')),
      readStream: () => Promise.reject(new Error('unused')),
      subscribeToAll: () => {
        throw new Error('unused');
      },
    };
  }

  it('passes when the store answers', async () => {
    const store = storeWhoseHead(() => Promise.resolve(null));
    await expect(assertReachable(store, 'EventStoreDB at esdb://es:2113', 1_000)).resolves.toBeUndefined();
    expect(store.close).not.toHaveBeenCalled();
  });

  it('fails at the deadline, naming the store, when it never answers, and closes it', async () => {
    const store = storeWhoseHead(() => new Promise(() => undefined));
    const started = Date.now();

    const error = await assertReachable(store, 'EventStoreDB at esdb://es:2113', 50).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(EventStoreUnavailable);
    expect(error).toMatchObject({ message: 'EventStoreDB at esdb://es:2113 is not reachable: no answer within 50 ms' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(store.close).toHaveBeenCalled();
  });

  it('fails with the cause when the store refuses', async () => {
    const cause = new EventStoreUnavailable('connect ECONNREFUSED');
    const error = await assertReachable(storeWhoseHead(() => Promise.reject(cause)), 'PostgreSQL event store at postgres://db', 1_000).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ message: 'PostgreSQL event store at postgres://db is not reachable: connect ECONNREFUSED', cause });
  });
});
