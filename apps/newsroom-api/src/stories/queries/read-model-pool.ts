import type { Pool, PoolClient } from 'pg';
import { type DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { type Queryable } from '@newsroom/read-models';

/**
 * The read model's connections, straight from TypeORM's pg pool: reads are plain SQL, and going
 * through TypeORM's query runner cost a query-runner object, logging hooks and an extra
 * acquire/release per statement.
 */
export function readModelPool(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}

/** Runs one statement on a pool or a client: the rows. */
export function queryable(on: Pool | PoolClient): Queryable {
  return {
    async query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T> {
      const result = await on.query(sql, parameters);
      return result.rows as T;
    },
  };
}
