import { connectEventStore, type EventStore, type EventStoreSettings } from '@newsroom/event-store';
import { ConfigError, type NewsroomConfig } from '../config/newsroom-config';

/** How long start-up waits for the event store to answer before the API refuses to start. */
const REACHABLE_WITHIN_MS = 10_000;

export function eventStoreSettings(config: NewsroomConfig): EventStoreSettings {
  switch (config.eventStore.kind) {
    case 'postgres':
      return { kind: 'postgres', url: config.databaseUrl };
    case 'eventstoredb':
      return { kind: 'eventstoredb', connectionString: config.eventStore.connectionString };
    default: {
      const unknown: never = config.eventStore;
      throw new ConfigError(`Unknown event store ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Opens the event store named by the configuration and proves it answers: an unreachable store
 * fails start-up with an EventStoreUnavailable naming the store and its address (password masked).
 */
export function createEventStore(config: NewsroomConfig): Promise<EventStore> {
  return connectEventStore(eventStoreSettings(config), { applicationName: 'newsroom-api', timeoutMs: REACHABLE_WITHIN_MS, poolSize: config.eventStorePoolSize });
}
