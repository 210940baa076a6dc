import { CreateEventStore1764000000000 } from './1764000000000-create-event-store';
import { AppendInOneStatement1764000300000 } from './1764000300000-append-in-one-statement';
import { GroupAppends1764000500000 } from './1764000500000-group-appends';
import { LogOrderPrimaryKey1764001000000 } from './1764001000000-log-order-primary-key';
import { AppendWithoutLocks1764001100000 } from './1764001100000-append-without-locks';

/** The event store's schema migrations, in the order they must run. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's migration list type
export const postgresEventStoreMigrations: Function[] = [
  CreateEventStore1764000000000,
  AppendInOneStatement1764000300000,
  GroupAppends1764000500000,
  LogOrderPrimaryKey1764001000000,
  AppendWithoutLocks1764001100000,
];
