import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource } from '@newsroom/read-models';
import { type EventStore } from '@newsroom/event-store';
import { type NewsroomConfig } from '../config/newsroom-config';
import { createEventStore } from './event-store.factory';
import { EVENT_STORE, NEWSROOM_CONFIG } from './tokens';

const databaseProviders = [
  {
    provide: DataSource,
    inject: [NEWSROOM_CONFIG],
    useFactory: async (config: NewsroomConfig): Promise<DataSource> =>
      createDataSource({ url: config.databaseUrl, applicationName: 'newsroom-api' }).initialize(),
  },
  {
    provide: EVENT_STORE,
    inject: [NEWSROOM_CONFIG],
    useFactory: (config: NewsroomConfig): Promise<EventStore> => createEventStore(config),
  },
];

/** Connections to PostgreSQL and to the event store, opened once and closed on shutdown. */
@Global()
@Module({
  providers: [...databaseProviders],
  exports: [DataSource, EVENT_STORE],
})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.eventStore.close(), this.dataSource.destroy()]);
  }
}
