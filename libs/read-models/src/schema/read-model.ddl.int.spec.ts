import { Client } from 'pg';
// Test support crosses the lib boundary on purpose: it owns the throwaway databases.
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import { readModelDdl } from './read-model.ddl';

let db: TestDatabase;
let client: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  client = new Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await db.drop();
});

/** Tables, columns (type, nullability, default, compression), constraints, indexes and views of a schema, without its name. */
async function shape(schema: string): Promise<string[]> {
  const { rows } = await client.query<{ item: string }>(
    `SELECT format('column %s.%s %s %s default=%s compression=%s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                   CASE WHEN a.attnotnull THEN 'not null' ELSE 'null' END, pg_get_expr(d.adbin, d.adrelid), a.attcompression) AS item
       FROM pg_class c
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'r'
     UNION ALL
     SELECT format('constraint %s %s %s', c.relname, k.conname, pg_get_constraintdef(k.oid))
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
      WHERE c.relnamespace = $1::regnamespace
     UNION ALL
     SELECT format('index %s', replace(pg_get_indexdef(i.indexrelid), $1 || '.', ''))
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
      WHERE c.relnamespace = $1::regnamespace
     UNION ALL
     SELECT format('view %s %s', c.relname, replace(pg_get_viewdef(c.oid), $1 || '.', ''))
       FROM pg_class c WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'v'
     UNION ALL
     SELECT format('options %s %s', c.relname, c.reloptions) FROM pg_class c WHERE c.relnamespace = $1::regnamespace AND c.reloptions IS NOT NULL
     ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.item);
}

it('builds, for a rebuild, exactly the tables, indexes and views the migrations leave in read_model', async () => {
  for (const statement of readModelDdl('read_model_ddl_check')) await client.query(statement);
  const [migrated, built] = [await shape('read_model'), await shape('read_model_ddl_check')];
  expect(migrated.length).toBeGreaterThan(100);
  expect(migrated.filter((item) => item.startsWith('view '))).toEqual([expect.stringMatching(/^view audit_log .*FROM story_revisions/s)]);
  expect(built).toEqual(migrated);
});
