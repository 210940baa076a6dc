import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '@newsroom/read-models';

/**
 * Every test file gets a database of its own on the server named by DATABASE_URL
 * (`npm test` starts an embedded PostgreSQL and sets it when it is not set), with all
 * migrations applied, so files can run in parallel without seeing each other's events.
 */
export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

export function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error('DATABASE_URL is not set: run the tests through `npm test` (it starts an embedded PostgreSQL) or set it.');
  }
  return url;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const admin = serverUrl();
  const name = `newsroom_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = withDatabase(admin, name);
  if (options.migrate !== false) await runMigrations(url);
  return {
    url,
    name,
    async drop() {
      const c = new Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
