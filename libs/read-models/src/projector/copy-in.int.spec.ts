import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import { copySql, copyText, writeParameters, writeSql } from '../projections/story-read-models.projection';
import { readModelTableDdl } from '../schema/read-model.ddl';
import { CopyIn } from './copy-in';

jest.setTimeout(30_000);

/** Everything COPY's text format reads specially, and a few things it does not. */
const AWKWARD = ['back\\slash', 'tab\there', 'new\nline', 'carriage\rreturn', '\\N', '\\.', 'end\\', 'quote " and \' ', 'été ✓ 📰', ''];

const revisionRow = (revision: number, text: string, keyframe: boolean): Record<string, unknown> => ({
  story_id: randomUUID(),
  revision,
  event_id: randomUUID(),
  event_type: 'DevelopmentLogged',
  recorded_at: '2026-12-02T13:04:05.678Z',
  editor_id: `ed-${text}`,
  reason: revision % 2 === 0 ? null : text,
  correlation_id: text,
  causation_id: undefined,
  summary: `${text} summary`,
  changes: [{ field: text, values: [text, null, 1.5, true] }],
  patch: [{ op: 'add', path: `/developments/${revision}`, value: { text, nested: { again: text } } }],
  snapshot: keyframe ? { headline: text, developments: [{ text }] } : null,
  hash: `h${revision}`,
  prev_hash: `h${revision - 1}`,
});

const claimStep = (revision: number, text: string): Record<string, unknown> => ({
  story_id: randomUUID(),
  claim_id: randomUUID(),
  revision,
  status: 'reported',
  at: new Date(Date.UTC(2026, 11, 2, 13, 4, 5, revision)),
  editor_id: text,
  development_id: revision % 3 === 0 ? null : randomUUID(),
  attribution: revision % 2 === 0 ? null : { name: text, role: [text] },
  reason: text,
});

describe('COPY into the read-model tables (the bulk load of a rebuild)', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    client = new Client({ connectionString: db.url });
    await client.connect();
    for (const schema of ['by_insert', 'by_copy']) for (const statement of readModelTableDdl(schema)) await client.query(statement);
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  const contents = async (schema: string, table: string, order: string): Promise<unknown[]> =>
    // json columns as their text: COPY must keep a json value's text exactly as INSERT does.
    (await client.query<{ row: unknown; texts: string[] }>(`SELECT to_jsonb(t) AS row, (SELECT array_agg(v::text) FROM jsonb_each(to_jsonb(t)) AS e(k, v)) AS texts FROM ${schema}.${table} t ORDER BY ${order}`)).rows;

  it('stores exactly what the INSERT of the live projection stores, whatever the text holds', async () => {
    const revisions = AWKWARD.map((text, i) => revisionRow(i + 1, text, i % 4 === 0));
    const steps = AWKWARD.map((text, i) => claimStep(i + 1, text));
    const insert = writeSql('by_insert', { keyed: false });
    await client.query(insert.revisions, writeParameters('revisions', revisions));
    await client.query(insert.claimHistory, writeParameters('claimHistory', steps));
    expect(await client.query(new CopyIn(copySql('by_copy', 'revisions'), copyText('revisions', revisions))).done).toBe(revisions.length);
    expect(await client.query(new CopyIn(copySql('by_copy', 'claimHistory'), copyText('claimHistory', steps))).done).toBe(steps.length);

    const revisionsByInsert = await contents('by_insert', 'story_revisions', 'revision');
    expect(revisionsByInsert).toHaveLength(AWKWARD.length);
    expect(await contents('by_copy', 'story_revisions', 'revision')).toEqual(revisionsByInsert);
    expect(await contents('by_copy', 'claim_history', 'revision')).toEqual(await contents('by_insert', 'claim_history', 'revision'));
    const [first] = (await client.query<{ editor_id: string }>(`SELECT editor_id FROM by_copy.story_revisions ORDER BY revision`)).rows;
    expect(first?.editor_id).toBe(`ed-${AWKWARD[0]}`);
  });

  it('sends data of many CopyData messages whole, a row split across two of them included', async () => {
    // 300 rows of about 1 KiB: about five 64 KiB messages, with rows and multi-byte characters cut at their edges.
    const long = 'été ✓ 📰 '.repeat(80);
    const revisions = Array.from({ length: 300 }, (_, i) => revisionRow(1_000 + i, `${i}:${long}`, false));
    const data = copyText('revisions', revisions);
    expect(data.length).toBeGreaterThan(4 * 64 * 1024);
    expect(await client.query(new CopyIn(copySql('by_copy', 'revisions'), data)).done).toBe(revisions.length);
    const { rows } = await client.query<{ n: number; bytes: string }>(
      `SELECT count(*)::int AS n, sum(octet_length(summary))::text AS bytes FROM by_copy.story_revisions WHERE revision >= 1000`,
    );
    const expectedBytes = revisions.reduce((sum, row) => sum + Buffer.byteLength(String(row.summary)), 0);
    expect(rows).toEqual([{ n: 300, bytes: String(expectedBytes) }]);
  });

  it('reports a rejected COPY as the statement failing, and the connection stays usable', async () => {
    const bad = Buffer.from('not-a-uuid\t1\n', 'utf8');
    await expect(client.query(new CopyIn(copySql('by_copy', 'claimHistory'), bad)).done).rejects.toThrow(/uuid/);
    await expect(client.query(new CopyIn('COPY by_copy.no_such_table FROM STDIN', bad)).done).rejects.toThrow(/no_such_table/);
    const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
  });
});
