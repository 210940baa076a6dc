import { createPostgresEventStore, type EventStore } from '@newsroom/event-store';
import { type DataSource } from 'typeorm';
// Test support crosses the lib boundary on purpose: it owns the throwaway databases.
import { projectStories } from '../../../../tests/support/read-models';
import { given, openAndLog, uuid } from '../../../../tests/support/story-log';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import { createDataSource } from '../database/data-source';
import { AuditLogAsView1764001800000 } from './1764001800000-audit-log-as-view';

let db: TestDatabase;
let dataSource: DataSource;
let store: EventStore;
let events = 0;
const first = uuid(0x1800_0001);
const second = uuid(0x1800_0002);

beforeAll(async () => {
  db = await createTestDatabase();
  dataSource = await createDataSource({ url: db.url, poolSize: 2 }).initialize();
  store = createPostgresEventStore({ url: db.url, poolSize: 2 });
  await given(store, first, openAndLog(first, 5));
  await given(store, second, openAndLog(second, 3));
  events = await projectStories(dataSource, store, [first, second]);
}, 40_000);
afterAll(async () => {
  await store.close();
  await dataSource.destroy();
  await db.drop();
});

const kindOf = async (name: string): Promise<string | null> => {
  const [row] = await dataSource.query<{ kind: string | null }[]>(`SELECT (SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)) AS kind`, [name]);
  return row?.kind ?? null;
};

const auditRows = async (): Promise<unknown[]> =>
  dataSource.query(`SELECT story_id, revision, event_id, event_type, editor_id, recorded_at, reason, correlation_id FROM read_model.audit_log ORDER BY story_id, revision`);

it('turns the audit table into a view of the revisions with the same rows, and back into a table with them', async () => {
  const migration = new AuditLogAsView1764001800000();
  const expected = await auditRows();
  expect(expected).toHaveLength(events);
  expect(events).toBeGreaterThan(9);
  expect(await kindOf('read_model.audit_log')).toBe('v');

  const runner = dataSource.createQueryRunner();
  try {
    // Back to the shape before the migration: a table of its own, filled from the revisions.
    await migration.down(runner);
    expect(await kindOf('read_model.audit_log')).toBe('r');
    expect(await kindOf('read_model.audit_log_editor_idx')).toBe('i');
    expect(await kindOf('read_model.story_revisions_audit_editor_idx')).toBeNull();
    expect(await auditRows()).toEqual(expected);

    await migration.up(runner);
    expect(await kindOf('read_model.audit_log')).toBe('v');
    expect(await kindOf('read_model.story_revisions_audit_editor_idx')).toBe('i');
    expect(await auditRows()).toEqual(expected);
    // Run again, it changes nothing (a database created after it already has this shape).
    await migration.up(runner);
    expect(await kindOf('read_model.audit_log')).toBe('v');
    expect(await auditRows()).toEqual(expected);
  } finally {
    await runner.release();
  }
});

it('answers the audit log for one editor, newest first, from an index on the revisions', async () => {
  await dataSource.query('SET enable_seqscan = off');
  try {
    const plan = await dataSource.query<{ 'QUERY PLAN': string }[]>(
      `EXPLAIN SELECT * FROM read_model.audit_log WHERE editor_id = 'ed-1' ORDER BY recorded_at DESC, story_id DESC, revision DESC LIMIT 20`,
    );
    expect(plan.map((line) => line['QUERY PLAN']).join('\n')).toMatch(/Index Scan Backward using story_revisions_audit_editor_idx/);
  } finally {
    await dataSource.query('RESET enable_seqscan');
  }
});
