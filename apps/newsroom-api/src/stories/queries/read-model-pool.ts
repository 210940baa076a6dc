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

/** More distinct statements than the reads have: anything beyond runs unprepared. */
const MAX_PREPARED = 64;

/**
 * Like `queryable`, but each distinct SQL text becomes a named prepared statement on every
 * connection that runs it, so PostgreSQL parses and plans it once per connection instead of once
 * per request (for these short reads, planning cost about as much as running them). Only for a
 * fixed set of statements (the history reads'), never for SQL built per request.
 *
 * If the read model's column types change under a running API (a migration), PostgreSQL refuses
 * the old plans ("cached plan must not change result type"): the statements are then prepared
 * again under new names.
 */
export function preparedQueryable(pool: Pool): Queryable {
  const names = new Map<string, string>();
  let generation = 0;
  const nameOf = (sql: string): string | undefined => {
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `newsroom_read_${generation}_${names.size}`;
      names.set(sql, name);
    }
    return name;
  };
  const run = async (sql: string, parameters: unknown[] | undefined): Promise<unknown[]> => {
    const name = nameOf(sql);
    const result = await pool.query(name === undefined ? { text: sql, values: parameters } : { name, text: sql, values: parameters });
    return result.rows as unknown[];
  };
  return {
    async query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T> {
      try {
        return (await run(sql, parameters)) as T;
      } catch (error) {
        if (!isStalePlan(error)) throw error;
        generation += 1;
        names.clear();
        return (await run(sql, parameters)) as T;
      }
    },
  };
}

function isStalePlan(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === '0A000' && /cached plan/.test(error.message);
}
