import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '@newsroom/read-models';
import { serverUrl } from './settings';

/** A database of the benchmark's own on the DATABASE_URL server, fully migrated, dropped at the end. */
export interface BenchDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function onServer(admin: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: admin, application_name: 'newsroom-bench-admin' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const admin = serverUrl();
  // Hex only, so the name needs no quoting.
  const name = `newsroom_bench_${randomBytes(6).toString('hex')}`;
  await onServer(admin, `CREATE DATABASE ${name}`);
  const url = withDatabase(admin, name);
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    await onServer(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  try {
    await runMigrations(url);
  } catch (error) {
    await drop();
    throw error;
  }
  return { url, name, drop };
}
