import { createPostgresEventStore } from '@newsroom/event-store';
import { createTestDatabase } from '../support/test-database';
import { describeEventStoreContract } from './event-store.contract';
import { installHoldTrigger, postgresHoldAppends } from './postgres-hold-appends';

describeEventStoreContract(
  'PostgresEventStore',
  async () => {
    const database = await createTestDatabase();
    await installHoldTrigger(database.url);
    const store = createPostgresEventStore({ url: database.url, poolSize: 20 });
    return {
      store,
      holdAppends: postgresHoldAppends(database.url),
      async teardown() {
        await store.close();
        await database.drop();
      },
    };
  },
  { holdAppends: true },
);
