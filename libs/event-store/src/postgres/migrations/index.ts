import { CreateEventStore1764000000000 } from './1764000000000-create-event-store';

/** The event store's schema migrations, in the order they must run. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's migration list type
export const postgresEventStoreMigrations: Function[] = [CreateEventStore1764000000000];
