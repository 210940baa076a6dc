import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { POSTGRES_EVENT_COLUMNS } from '@newsroom/event-store';
import { readModelIndexDdl, readModelTableDdl, shareOut } from '@newsroom/read-models';
import { sampleBackends } from './pg-backends';

/**
 * PostgreSQL's floor under a rebuild: the part of it no change to our code can take away. After a
 * rebuild, the rows it wrote are copied out to files on the server; then, timed, PostgreSQL alone
 * does what the rebuild asks of it, with the rebuild's number of loading connections: read the
 * whole log in commit order with the adapter's columns (to nowhere), load the same rows into
 * freshly created tables with `COPY ... FROM` the files (the generated search vectors computed as
 * in the rebuild), build the keys and indexes, and vacuum and analyse, as the rebuild does. No
 * event is parsed, folded or diffed and no row is formatted: the rebuild can only get slower than
 * this on the same machine. `rebuild events/s / floor events/s` says how much of the machine's
 * PostgreSQL half the rebuild reaches, and the floor itself says what events/s the read models
 * allow here at all.
 *
 * Needs a server on this machine and a superuser (server-side COPY to and from files); otherwise
 * it is skipped with the reason.
 */
export interface RebuildFloor {
  readonly events: number;
  /** From the start of the log read and loads to the end of VACUUM. */
  readonly ms: number;
  readonly eventsPerSecond: number;
  /** The log read, alongside the loads. */
  readonly logReadMs: number;
  /** Until the last connection finished loading its files. */
  readonly loadMs: number;
  readonly indexMs: number;
  readonly vacuumMs: number;
  /** CPU of the floor's PostgreSQL backends over the whole run. */
  readonly postgresCpuMs: number;
  readonly copyBytes: number;
  readonly connections: number;
}

export type RebuildFloorResult = { readonly measured: RebuildFloor } | { readonly skipped: string };

const FLOOR_SCHEMA = 'read_model_floor';
const SOURCE_SCHEMA = 'read_model';
const APPLICATION = 'newsroom-floor';
const SAFE_PATH = /^[\w/.-]+$/;

function isLocal(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '' || host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
}

const now = (): number => performance.now();

async function connect(url: string, applicationName: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: applicationName });
  await client.connect();
  return client;
}

export async function measureRebuildFloor(url: string, events: number, connections: number): Promise<RebuildFloorResult> {
  if (!isLocal(url)) return { skipped: 'the PostgreSQL server is not on this machine (server-side COPY needs its files)' };
  const admin = await connect(url, 'newsroom-bench-floor-admin');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'newsroom-floor-'));
  try {
    const { rows: role } = await admin.query<{ super: boolean }>('SELECT rolsuper AS super FROM pg_roles WHERE rolname = current_user');
    if (role[0]?.super !== true) return { skipped: 'not a superuser (server-side COPY to and from files)' };
    if (!SAFE_PATH.test(dir)) return { skipped: `the temporary directory's name is not plain: ${dir}` };
    // The server's processes write and read the files.
    chmodSync(dir, 0o777);

    const { rows: tableRows } = await admin.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC`,
      [SOURCE_SCHEMA],
    );
    const tables: { name: string; columns: string }[] = [];
    for (const { name } of tableRows) {
      const { rows: columns } = await admin.query<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = $2 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
        [SOURCE_SCHEMA, name],
      );
      tables.push({ name, columns: columns.map((c) => `"${c.name}"`).join(', ') });
    }
    // Each table's rows dealt out round-robin, one file per table and connection.
    const fileOf = (table: string, lane: number): string => path.join(dir, `${table}.${lane}.copy`);
    try {
      for (const { name, columns } of tables) {
        for (let lane = 0; lane < connections; lane += 1) {
          await admin.query(
            `COPY (SELECT ${columns} FROM (SELECT *, row_number() OVER () AS floor_row FROM ${SOURCE_SCHEMA}."${name}") dealt
                    WHERE floor_row % ${connections} = ${lane}) TO '${fileOf(name, lane)}'`,
          );
        }
      }
    } catch (error) {
      // A server that sees another /tmp (a container, systemd's PrivateTmp) cannot write there.
      return { skipped: `the server could not write the rows to ${dir}: ${error instanceof Error ? error.message : String(error)}` };
    }
    const copyBytes = readdirSync(dir).reduce((sum, file) => sum + statSync(path.join(dir, file)).size, 0);

    await admin.query(`DROP SCHEMA IF EXISTS ${FLOOR_SCHEMA} CASCADE`);
    for (const statement of readModelTableDdl(FLOOR_SCHEMA)) await admin.query(statement);
    await admin.query('CHECKPOINT');

    const reader = await connect(url, APPLICATION);
    const loaders = await Promise.all(Array.from({ length: connections }, () => connect(url, APPLICATION)));
    try {
      for (const loader of loaders) {
        // As the rebuild's loading connections.
        await loader.query('SET synchronous_commit = off');
        await loader.query(`SET maintenance_work_mem = '256MB'`);
      }
      const backends = await sampleBackends(url, APPLICATION, 100);
      const before = await backends.sample();
      const started = now();
      const logRead = reader
        .query(`COPY (SELECT ${POSTGRES_EVENT_COLUMNS} FROM event_store.events e ORDER BY e.transaction_id, e.global_position) TO '/dev/null'`)
        .then(() => now() - started);
      await Promise.all(
        loaders.map(async (loader, lane) => {
          for (const { name, columns } of tables) await loader.query(`COPY ${FLOOR_SCHEMA}."${name}" (${columns}) FROM '${fileOf(name, lane)}'`);
        }),
      );
      const logReadMs = await logRead;
      const loaded = now();
      // As the rebuild shares out its index builds and VACUUMs over its loading connections.
      const onLoaders = (statement: string, lane: number): Promise<unknown> => (loaders[lane] as Client).query(statement);
      await shareOut(readModelIndexDdl(FLOOR_SCHEMA), loaders.length, onLoaders);
      const indexed = now();
      await shareOut(
        tables.map(({ name }) => `VACUUM (ANALYZE, INDEX_CLEANUP OFF) ${FLOOR_SCHEMA}."${name}"`),
        loaders.length,
        onLoaders,
      );
      const ended = now();
      const after = await backends.stop();
      const ms = ended - started;
      return {
        measured: {
          events,
          ms,
          eventsPerSecond: (events * 1000) / ms,
          logReadMs,
          loadMs: loaded - started,
          indexMs: indexed - loaded,
          vacuumMs: ended - indexed,
          postgresCpuMs: after.cpuMs - before.cpuMs,
          copyBytes,
          connections,
        },
      };
    } finally {
      await Promise.all([reader, ...loaders].map((client) => client.end().catch(() => undefined)));
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${FLOOR_SCHEMA} CASCADE`).catch(() => undefined);
    await admin.end().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
