import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { connectEventStore } from '../create-event-store';
import { EventStoreUnavailable } from '../event-store.errors';
import { createEventStoreDbEventStore, type EventStoreDbEventStore } from './eventstoredb-event-store';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * The real client against an address where no EventStoreDB listens: proves that its connection
 * failures become EventStoreUnavailable for every operation, with no server needed.
 */
describe('EventStoreDB event store with no server at its address', () => {
  let connectionString: string;
  let store: EventStoreDbEventStore;

  beforeAll(async () => {
    connectionString = `esdb://127.0.0.1:${await closedPort()}?tls=false`;
    store = createEventStoreDbEventStore({ connectionString, logger: { warn: () => undefined } });
  });

  afterAll(() => store.close());

  it('appends, reads and head position fail with EventStoreUnavailable', async () => {
    const event = { eventId: randomUUID(), type: 'DevelopmentLogged', data: {}, metadata: {} };
    await expect(store.appendToStream('story-1', [event], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(EventStoreUnavailable);
    await expect(store.readStream('story-1')).rejects.toBeInstanceOf(EventStoreUnavailable);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailable);
  });

  it('a subscription fails with EventStoreUnavailable and is closed', async () => {
    const subscription = store.subscribeToAll({ streamPrefixes: ['story-'] });
    const iterator = subscription[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toBeInstanceOf(EventStoreUnavailable);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('connecting fails fast, naming EventStoreDB and its address', async () => {
    const started = Date.now();
    const error = await connectEventStore({ kind: 'eventstoredb', connectionString }, { timeoutMs: 5_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EventStoreUnavailable);
    expect((error as Error).message).toContain(`EventStoreDB at ${connectionString} is not reachable`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
