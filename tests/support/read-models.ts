import { storyStreamId } from '@newsroom/domain';
import { comparePositions, type EventStore, type Position } from '@newsroom/event-store';
import { catchUpProjections, loadCheckpoint, type Queryable, readModelDdl, STORY_PROJECTION } from '@newsroom/read-models';
import { type DataSource } from 'typeorm';

type Maybe<T> = T | undefined | null | false;

/** Polls until `check` returns a value, failing with `what` after `timeoutMs`. */
export async function eventually<T>(check: () => Maybe<T> | Promise<Maybe<T>>, what: string, timeoutMs = 15_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Waits until the projection checkpoint in `schema` is at or past `position`: "caught up to N". */
export async function waitForCheckpoint(db: Queryable, position: Position, schema = 'read_model', timeoutMs = 15_000): Promise<Position> {
  return eventually(
    async () => {
      const checkpoint = await loadCheckpoint(db, schema, STORY_PROJECTION);
      return comparePositions(checkpoint.position, position) >= 0 ? checkpoint.position : undefined;
    },
    `the ${schema} checkpoint to reach ${position.commit}/${position.prepare}`,
    timeoutMs,
  );
}

/**
 * Catches the live read models up until `read_model.story_revisions` holds a row for every event
 * of `storyIds`; returns that count. Catch-up stops below the oldest transaction open anywhere on
 * the server, so other test files running beside this one can hold it back.
 */
export async function projectStories(dataSource: DataSource, store: EventStore, storyIds: readonly string[]): Promise<number> {
  let events = 0;
  for (const storyId of storyIds) events += (await store.readStream(storyStreamId(storyId))).length;
  await eventually(
    async () => {
      await catchUpProjections(dataSource, store);
      const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM read_model.story_revisions WHERE story_id = ANY($1::uuid[])`, [storyIds]);
      return row?.n === events;
    },
    `${events} revisions to be projected`,
    30_000,
    50,
  );
  return events;
}

/**
 * Projects the log up to `until` into a brand-new schema, from scratch, in this process: the
 * reference a projector's (or a rebuild's) result must equal. `catchUpProjections` stops below
 * the oldest running transaction of the whole server, so it is repeated until `until` is covered.
 */
export async function projectFromScratch(dataSource: DataSource, store: EventStore, schema: string, until: Position): Promise<void> {
  await dataSource.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  for (const statement of readModelDdl(schema)) await dataSource.query(statement);
  await eventually(
    async () => {
      await catchUpProjections(dataSource, store, { schema, batchSize: 500 });
      const checkpoint = await loadCheckpoint(dataSource, schema, STORY_PROJECTION);
      return comparePositions(checkpoint.position, until) >= 0;
    },
    `a projection from scratch into ${schema}`,
  );
}

interface TableKey {
  table: string;
  key: string;
}

/**
 * Every table and view of a read-model schema, every row as JSON, ordered by primary key (a view:
 * by its rows' JSON; snapshot jsonb, tsvector and all). The checkpoint's `updated_at` is a wall-clock time and is left out.
 */
export async function readModelRows(db: Queryable, schema: string): Promise<Record<string, unknown[]>> {
  const tables = await db.query<TableKey[]>(
    `SELECT c.relname AS table, string_agg(quote_ident(a.attname), ', ' ORDER BY k.ordinality) AS key
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality)
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE n.nspname = $1 AND c.relkind = 'r'
      GROUP BY c.relname
     UNION ALL
     -- Views (audit_log) have no key: their rows in the order of their JSON.
     SELECT c.relname, 'to_jsonb(t)::text'
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'v'
      ORDER BY 1`,
    [schema],
  );
  const rows: Record<string, unknown[]> = {};
  for (const { table, key } of tables) {
    const row = table === 'projection_checkpoints' ? `to_jsonb(t) - 'updated_at'` : 'to_jsonb(t)';
    const result = await db.query<{ row: Record<string, unknown> }[]>(`SELECT ${row} AS row FROM ${schema}.${table} t ORDER BY ${key}`);
    rows[table] = result.map((r) => r.row);
  }
  return rows;
}

/** Row counts per table, for assertions that a comparison compared something. */
export const rowCounts = (rows: Record<string, unknown[]>): Record<string, number> => Object.fromEntries(Object.entries(rows).map(([table, r]) => [table, r.length]));
