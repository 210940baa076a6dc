import { type DataSource } from 'typeorm';
// Test support crosses the lib boundary on purpose: it owns the throwaway databases.
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import { createDataSource } from '../database/data-source';
import { StoryFoldSnapshotsUnloggedLz41764001900000 } from './1764001900000-story-fold-snapshots-unlogged-lz4';

let db: TestDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  dataSource = await createDataSource({ url: db.url, poolSize: 2 }).initialize();
}, 40_000);
afterAll(async () => {
  await dataSource.destroy();
  await db.drop();
});

/** The column's compression as pg_attribute records it: 'l' lz4, 'p' pglz, '' the server's default. */
const compression = async (): Promise<string> => {
  const [row] = await dataSource.query<{ c: string }[]>(
    `SELECT attcompression::text AS c FROM pg_attribute WHERE attrelid = 'api.story_fold_snapshots'::regclass AND attname = 'state'`,
  );
  return row?.c ?? 'missing';
};

/** Whether the server was built with lz4 (the embedded PostgreSQL of `npm test` may not be): without it the column keeps the default, pglz. */
const serverHasLz4 = async (): Promise<boolean> => {
  const [row] = await dataSource.query<{ lz4: boolean }[]>(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
  return row?.lz4 === true;
};

/** 'u' unlogged, 'p' permanent. */
const persistence = async (): Promise<string> => {
  const [row] = await dataSource.query<{ p: string }[]>(`SELECT relpersistence::text AS p FROM pg_class WHERE oid = 'api.story_fold_snapshots'::regclass`);
  return row?.p ?? 'missing';
};

/** A stored state's compression, for a value large enough to be compressed. */
const storedWith = async (streamId: string): Promise<string | null> => {
  await dataSource.query(`INSERT INTO api.story_fold_snapshots (stream_id, revision, state_version, last_hash, state) VALUES ($1, 1000, 1, 'h', $2::json)`, [
    streamId,
    JSON.stringify({ developments: Array.from({ length: 2_000 }, (_, i) => [`d${i}`, 'report', false]) }),
  ]);
  const [row] = await dataSource.query<{ method: string | null }[]>(`SELECT pg_column_compression(state) AS method FROM api.story_fold_snapshots WHERE stream_id = $1`, [
    streamId,
  ]);
  return row?.method ?? null;
};

it('keeps the fold snapshots unlogged and lz4-compressed, and goes back to logged pglz and forth again', async () => {
  const migration = new StoryFoldSnapshotsUnloggedLz41764001900000();
  const lz4 = await serverHasLz4();
  expect(await compression()).toBe(lz4 ? 'l' : '');
  expect(await persistence()).toBe('u');
  expect(await storedWith('story-a')).toBe(lz4 ? 'lz4' : 'pglz');

  const runner = dataSource.createQueryRunner();
  try {
    await migration.down(runner);
    expect(await compression()).toBe('p');
    expect(await persistence()).toBe('p');
    expect(await storedWith('story-b')).toBe('pglz');
    await migration.up(runner);
    await migration.up(runner);
    expect(await compression()).toBe(lz4 ? 'l' : 'p');
    expect(await persistence()).toBe('u');
    expect(await storedWith('story-c')).toBe(lz4 ? 'lz4' : 'pglz');
  } finally {
    await runner.release();
  }
  // Values stored either way read back the same.
  const states = await dataSource.query<{ state: unknown }[]>(`SELECT state FROM api.story_fold_snapshots ORDER BY stream_id`);
  expect(new Set(states.map((row) => JSON.stringify(row.state))).size).toBe(1);
});
