import { DataSource } from 'typeorm';
import type { MixedList } from 'typeorm';
import { postgresEventStoreMigrations } from '@newsroom/event-store';
import { readModelEntities, readModelMigrations } from './schema';

export interface DatabaseOptions {
  readonly url: string;
  /** Size of TypeORM's pg pool. */
  readonly poolSize?: number;
  readonly applicationName?: string;
}

/**
 * The one DataSource definition, shared by the apps, the migration command and the tests.
 * `synchronize` is off for good: the schema changes only through migration files.
 */
export function createDataSource(options: DatabaseOptions): DataSource {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own MixedList<Function> type
  const migrations: MixedList<Function> = [...postgresEventStoreMigrations, ...readModelMigrations];
  return new DataSource({
    type: 'postgres',
    url: options.url,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'typeorm_migrations',
    migrations,
    entities: readModelEntities,
    extra: { max: options.poolSize ?? 10, application_name: options.applicationName ?? 'newsroom' },
    logging: ['error'],
  });
}

/** Applies every pending migration, then closes the connection. */
export async function runMigrations(url: string): Promise<void> {
  const dataSource = createDataSource({ url, poolSize: 1, applicationName: 'newsroom-migrations' });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
