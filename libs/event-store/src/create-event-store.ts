import type { EventStore } from './event-store.port';
import { EventStoreUnavailable } from './event-store.errors';
import { createEventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { createPostgresEventStore } from './postgres/postgres-event-store';
import type { EventStoreLogger } from './postgres/event-store-logger';

/** Which adapter, and where its store is. */
export type EventStoreSettings =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'eventstoredb'; readonly connectionString: string };

export interface CreateEventStoreOptions {
  /** Names the process's connections (PostgreSQL `application_name`). */
  readonly applicationName?: string;
  /** PostgreSQL only: connections in the pool (EventStoreDB multiplexes one gRPC channel). */
  readonly poolSize?: number;
  /** PostgreSQL only: events a subscription reads per query (bulk readers such as a rebuild want more). */
  readonly subscriptionBatchSize?: number;
  readonly logger?: EventStoreLogger;
}

export interface ConnectEventStoreOptions extends CreateEventStoreOptions {
  /** How long the reachability check may take before start-up fails. Defaults to 10 s. */
  readonly timeoutMs?: number;
}

export class EventStoreSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventStoreSettingsError';
  }
}

/**
 * The same environment contract for every process that opens the store: `EVENT_STORE=postgres`
 * (the default; the store lives in `DATABASE_URL`) or `EVENT_STORE=eventstoredb` with
 * `EVENTSTORE_CONNECTION_STRING`.
 */
export function eventStoreSettingsFromEnv(env: NodeJS.ProcessEnv): EventStoreSettings {
  const kind = env.EVENT_STORE ?? 'postgres';
  switch (kind) {
    case 'postgres': {
      const url = env.DATABASE_URL;
      if (!url) throw new EventStoreSettingsError('EVENT_STORE=postgres needs DATABASE_URL');
      return { kind, url };
    }
    case 'eventstoredb': {
      const connectionString = env.EVENTSTORE_CONNECTION_STRING;
      if (!connectionString) throw new EventStoreSettingsError('EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING');
      return { kind, connectionString };
    }
    default:
      throw new EventStoreSettingsError(`EVENT_STORE must be "postgres" or "eventstoredb", got "${kind}"`);
  }
}

export function createEventStore(settings: EventStoreSettings, options: CreateEventStoreOptions = {}): EventStore {
  switch (settings.kind) {
    case 'postgres':
      return createPostgresEventStore({
        url: settings.url,
        ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName }),
        ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
        ...(options.subscriptionBatchSize === undefined ? {} : { subscription: { batchSize: options.subscriptionBatchSize } }),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      });
    case 'eventstoredb':
      return createEventStoreDbEventStore({
        connectionString: settings.connectionString,
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      });
    default: {
      const unknown: never = settings;
      throw new EventStoreSettingsError(`Unknown event store ${JSON.stringify(unknown)}`);
    }
  }
}

/** "EventStoreDB at esdb://node1:2113,node2:2113?tls=false", with any password masked. */
export function describeEventStore(settings: EventStoreSettings): string {
  switch (settings.kind) {
    case 'postgres':
      return `PostgreSQL event store at ${redactPassword(settings.url)}`;
    case 'eventstoredb':
      return `EventStoreDB at ${redactPassword(settings.connectionString)}`;
    default: {
      const unknown: never = settings;
      throw new EventStoreSettingsError(`Unknown event store ${JSON.stringify(unknown)}`);
    }
  }
}

export function redactPassword(address: string): string {
  return address.replace(/\/\/([^:@/?]+):[^@/?]*@/, '//$1:***@');
}

/**
 * Creates the store and proves it answers (`headPosition()`) within the deadline, so a process
 * whose store is unreachable fails at start-up, naming the store and its address, instead of
 * failing its first request. The store is closed again when it does not answer.
 */
export async function connectEventStore(settings: EventStoreSettings, options: ConnectEventStoreOptions = {}): Promise<EventStore> {
  const store = createEventStore(settings, options);
  await assertReachable(store, describeEventStore(settings), options.timeoutMs ?? 10_000);
  return store;
}

export async function assertReachable(store: EventStore, description: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([store.headPosition(), deadline]);
  } catch (error) {
    // Closing must not hang start-up either, nor hide why it failed.
    void store.close().catch(() => undefined);
    throw new EventStoreUnavailable(`${description} is not reachable: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}
