import { createPostgresEventStore, type EventStore } from '@newsroom/event-store';
import { ConfigError, type NewsroomConfig } from '../config/newsroom-config';

/** Picks the event store adapter named by the configuration and proves it is reachable. */
export async function createEventStore(config: NewsroomConfig): Promise<EventStore> {
  switch (config.eventStore.kind) {
    case 'postgres': {
      const store = createPostgresEventStore({ url: config.databaseUrl, applicationName: 'newsroom-api' });
      await store.headPosition();
      return store;
    }
    case 'eventstoredb':
      throw new ConfigError('EVENT_STORE=eventstoredb is not built yet (see the README).');
    default: {
      const unknown: never = config.eventStore;
      throw new ConfigError(`Unknown event store ${JSON.stringify(unknown)}`);
    }
  }
}
