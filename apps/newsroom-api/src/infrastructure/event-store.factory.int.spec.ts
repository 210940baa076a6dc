import { createServer } from 'node:net';
import { EventStoreUnavailable, PostgresEventStore } from '@newsroom/event-store';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import { loadConfig } from '../config/newsroom-config';
import { createEventStore } from './event-store.factory';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('opening the configured event store at start-up', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(() => database.drop());

  it('opens PostgreSQL when it answers', async () => {
    const store = await createEventStore(loadConfig({ DATABASE_URL: database.url }));
    try {
      expect(store).toBeInstanceOf(PostgresEventStore);
      expect(await store.headPosition()).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('fails fast, naming EventStoreDB and its address, when nothing answers there', async () => {
    const connectionString = `esdb://127.0.0.1:${await closedPort()}?tls=false`;
    const config = loadConfig({ DATABASE_URL: database.url, EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: connectionString });

    const error = await createEventStore(config).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(EventStoreUnavailable);
    expect((error as Error).message).toMatch(new RegExp(`^EventStoreDB at ${connectionString.replace(/[.?]/g, '\\$&')} is not reachable: `));
  });

  it('fails fast, naming PostgreSQL and its address with the password masked, when nothing answers there', async () => {
    const url = `postgres://newsroom:secret@127.0.0.1:${await closedPort()}/news`;

    const error = await createEventStore(loadConfig({ DATABASE_URL: url })).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(EventStoreUnavailable);
    expect((error as Error).message).toContain(`PostgreSQL event store at postgres://newsroom:***@127.0.0.1:`);
    expect((error as Error).message).not.toContain('secret');
  });
});
