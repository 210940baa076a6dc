export * from './event-store.port';
export * from './event-store.errors';
export { postgresEventStoreMigrations } from './postgres/migrations';
export { PostgresEventStore, createPostgresEventStore } from './postgres/postgres-event-store';
export type { PostgresEventStoreOptions } from './postgres/postgres-event-store';
export type { SubscriptionSettings } from './postgres/postgres-all-subscription';
export type { AppendListenerSettings } from './postgres/append-listener';
export type { EventStoreLogger } from './postgres/event-store-logger';
export { isConnectionError as isPostgresUnavailable } from './postgres/postgres-errors';
/** The PostgreSQL adapter's one-event append statement, for diagnostics that time it without the adapter (bench:appends). */
export { APPEND_ONE as POSTGRES_APPEND_ONE_STATEMENT } from './postgres/postgres-event-store.sql';
/** The columns (as text) that the PostgreSQL adapter reads for each event, for bench:rebuild's floor, which reads the log as the rebuild does. */
export { EVENT_COLUMNS as POSTGRES_EVENT_COLUMNS } from './postgres/postgres-event-store.sql';
export { EventStoreDbEventStore, createEventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
export type { EventStoreDbClient, EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store';
export {
  connectEventStore,
  createEventStore,
  describeEventStore,
  eventStoreSettingsFromEnv,
  EventStoreSettingsError,
} from './create-event-store';
export type { ConnectEventStoreOptions, CreateEventStoreOptions, EventStoreSettings } from './create-event-store';
