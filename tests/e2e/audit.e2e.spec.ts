import { Client } from 'pg';
import { computeEventHash, storyStreamId } from '@newsroom/domain';
import { type TestApp, TOKENS } from '../support/test-app';
import { CATCH_UP_WITHIN_MS, catchUp, read, startClockedApp, TestClock, walk, write } from './story-history.support';

// Above catchUp's own limit: on a busy server, projecting may wait for other tests' transactions.
jest.setTimeout(CATCH_UP_WITHIN_MS + 15_000);

interface AuditRow {
  storyId: string;
  revision: number;
  eventType: string;
  editorId: string;
  recordedAt: string;
  reason: string | null;
}

/**
 * Three stories written at known instants by three people:
 *   A (08:00-08:05): opened by ed-amira, five developments by ed-amira / ed-james, one with a claim
 *   B (09:00-09:02): opened by ed-james, a correction of its headline by chief-lina, published
 *   C (10:00-10:01): opened by ed-amira, a clarification of its summary by chief-lina
 */
const clock = new TestClock('2025-03-14T08:00:00.000Z');
let t: TestApp;
let a: string;
let b: string;
let c: string;

const open = async (headline: string, token: string = TOKENS.editor): Promise<string> => {
  const res = await t.http().post('/stories').set('Authorization', `Bearer ${token}`).send({ headline, desk: 'world', summary: 'First summary.' });
  return (res.body as { storyId: string }).storyId;
};
const development = (text: string, claims: object[] = []) => ({ kind: 'update', text, attribution: { anonymous: false }, claims });

beforeAll(async () => {
  t = await startClockedApp(clock);
  a = await open('Story A');
  for (const [minute, token] of [[1, TOKENS.editor], [2, TOKENS.editor2], [3, TOKENS.editor], [4, TOKENS.editor2], [5, TOKENS.editor]] as const) {
    clock.set(`2025-03-14T08:0${minute}:00.000Z`);
    await write(t, 'post', `/stories/${a}/developments`, development(`Update ${minute}`, minute === 1 ? [{ text: 'A claim' }] : []), token);
  }
  clock.set('2025-03-14T09:00:00.000Z');
  b = await open('Story B', TOKENS.editor2);
  clock.set('2025-03-14T09:01:00.000Z');
  await write(t, 'post', `/stories/${b}/corrections`, { target: { type: 'headline' }, correctedText: 'Story B, corrected', note: 'The headline misnamed the town.' }, TOKENS.chief);
  clock.set('2025-03-14T09:02:00.000Z');
  await write(t, 'post', `/stories/${b}/publish`, {}, TOKENS.chief);
  clock.set('2025-03-14T10:00:00.000Z');
  c = await open('Story C');
  clock.set('2025-03-14T10:01:00.000Z');
  await write(t, 'post', `/stories/${c}/corrections`, { target: { type: 'summary' }, note: 'The summary was unclear about who spoke.', kind: 'clarification' }, TOKENS.chief);
  await catchUp(t);
});
afterAll(async () => {
  await t.close();
});

describe('who may read the log, the chain check and the audit trail', () => {
  const paths = () => [`/stories/${a}/events`, `/stories/${a}/verify`, '/audit'];

  it('lets the auditor and the chief read them', async () => {
    for (const token of [TOKENS.auditor, TOKENS.chief]) {
      for (const path of paths()) expect({ path, status: (await read(t, path, token)).status }).toEqual({ path, status: 200 });
    }
  });

  it('refuses an editor with 403', async () => {
    for (const path of paths()) {
      const res = await read(t, path, TOKENS.editor);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
  });

  it('answers 401 without a token', async () => {
    for (const path of paths()) expect((await t.http().get(path)).status).toBe(401);
  });
});

describe('GET /stories/{id}/events', () => {
  it('answers the raw events from the event store, in stream order, with 1-based story revisions and their hash chain', async () => {
    const res = await read(t, `/stories/${a}/events`, TOKENS.auditor);
    const stored = await t.store.readStream(storyStreamId(a));
    expect(res.headers.etag).toBe(`"${stored.length}"`);
    expect(res.body.items).toHaveLength(stored.length);
    expect(res.body.items.map((e: { revision: number }) => e.revision)).toEqual(stored.map((_, i) => i + 1));
    expect(res.body.items.map((e: { eventId: string }) => e.eventId)).toEqual(stored.map((e) => e.eventId));
    expect(res.body.items[0]).toMatchObject({
      revision: 1,
      type: 'StoryOpened',
      data: { storyId: a, headline: 'Story A' },
      metadata: { editorId: 'ed-amira', recordedAt: '2025-03-14T08:00:00.000Z', schemaVersion: 1 },
      recordedAt: '2025-03-14T08:00:00.000Z',
      prevHash: '0'.repeat(64),
    });
    for (let i = 1; i < res.body.items.length; i += 1) expect(res.body.items[i].prevHash).toBe(res.body.items[i - 1].hash);
  });

  it('answers 404 for an unknown story', async () => {
    const res = await read(t, '/stories/00000000-0000-4000-8000-000000000000/events', TOKENS.auditor);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('STORY_NOT_FOUND');
  });
});

describe('GET /stories/{id}/verify', () => {
  it('answers valid with the 1-based head revision and the recomputed head hash', async () => {
    const stored = await t.store.readStream(storyStreamId(a));
    const res = await read(t, `/stories/${a}/verify`, TOKENS.auditor);
    expect(res.body).toEqual({ valid: true, revision: stored.length, headHash: stored.at(-1)?.metadata.hash, crossChecked: stored.length });
  });

  it('names the first revision that does not verify when a stored event was altered in the database', async () => {
    clock.set('2025-03-14T12:00:00.000Z');
    const victim = await open('A story someone will tamper with');
    for (const text of ['One', 'Two', 'Three']) await write(t, 'post', `/stories/${victim}/developments`, development(text));
    const admin = new Client({ connectionString: t.db.url });
    await admin.connect();
    try {
      // As a superuser would: switch the append-only triggers off, rewrite one event, switch them on again.
      await admin.query('ALTER TABLE event_store.events DISABLE TRIGGER USER');
      const updated = await admin.query(
        `UPDATE event_store.events SET data = jsonb_set(data, '{text}', '"Two, rewritten"') WHERE stream_id = $1 AND stream_revision = 2`,
        [storyStreamId(victim)],
      );
      expect(updated.rowCount).toBe(1);
      await admin.query('ALTER TABLE event_store.events ENABLE TRIGGER USER');
    } finally {
      await admin.end();
    }
    const res = await read(t, `/stories/${victim}/verify`, TOKENS.chief);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ valid: false, revision: 4, headHash: null, firstInvalidRevision: 3, reason: 'hash_mismatch' });
    const events = await read(t, `/stories/${victim}/events`, TOKENS.chief);
    expect(events.body.items[2]).toMatchObject({ revision: 3, data: { text: 'Two, rewritten' } });
    expect((await read(t, `/stories/${a}/verify`, TOKENS.auditor)).body.valid).toBe(true);
  });

  /** Opens a story with three developments (four events) and waits until the read model has projected them. */
  async function projectedStory(headline: string): Promise<string> {
    const id = await open(headline);
    for (const text of ['One', 'Two', 'Three']) await write(t, 'post', `/stories/${id}/developments`, development(text));
    await catchUp(t);
    return id;
  }

  /** Runs `sql` as a superuser would: with the append-only triggers of event_store.events switched off. */
  async function asSuperuser(sql: string, params: unknown[]): Promise<number> {
    const admin = new Client({ connectionString: t.db.url });
    await admin.connect();
    try {
      await admin.query('ALTER TABLE event_store.events DISABLE TRIGGER USER');
      const result = await admin.query(sql, params);
      await admin.query('ALTER TABLE event_store.events ENABLE TRIGGER USER');
      return result.rowCount ?? 0;
    } finally {
      await admin.end();
    }
  }

  it('catches events cut from the end of the stream, which the chain alone cannot, against the read model', async () => {
    const victim = await projectedStory('A story someone will cut short');
    expect(await asSuperuser('DELETE FROM event_store.events WHERE stream_id = $1 AND stream_revision >= 2', [storyStreamId(victim)])).toBe(2);
    const res = await read(t, `/stories/${victim}/verify`, TOKENS.auditor);
    expect(res.body).toEqual({ valid: false, revision: 2, headHash: null, firstInvalidRevision: 3, reason: 'missing_from_log' });
  });

  it('catches a whole stream deleted from the log instead of answering 404', async () => {
    const victim = await projectedStory('A story someone will erase');
    expect(await asSuperuser('DELETE FROM event_store.events WHERE stream_id = $1', [storyStreamId(victim)])).toBe(4);
    const res = await read(t, `/stories/${victim}/verify`, TOKENS.auditor);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ valid: false, revision: 0, headHash: null, firstInvalidRevision: 1, reason: 'missing_from_log' });
  });

  it('catches an event rewritten with its hash recomputed, so the chain still links, against the read model', async () => {
    const victim = await projectedStory('A story someone will rewrite carefully');
    const [last] = (await t.store.readStream(storyStreamId(victim))).slice(-1);
    if (!last) throw new Error('no events');
    const prevHash = last.metadata.prevHash;
    if (typeof prevHash !== 'string') throw new Error('event has no prevHash');
    const data = { ...last.data, text: 'Three, rewritten' };
    const hash = computeEventHash({
      prevHash,
      streamId: storyStreamId(victim),
      revision: last.revision,
      eventId: last.eventId,
      type: last.type,
      schemaVersion: Number(last.metadata.schemaVersion),
      data,
      metadata: last.metadata,
    });
    const rewritten = await asSuperuser(
      `UPDATE event_store.events SET data = $2::jsonb, metadata = jsonb_set(metadata, '{hash}', to_jsonb($3::text)) WHERE event_id = $1`,
      [last.eventId, JSON.stringify(data), hash],
    );
    expect(rewritten).toBe(1);
    const res = await read(t, `/stories/${victim}/verify`, TOKENS.auditor);
    expect(res.body).toEqual({ valid: false, revision: 4, headHash: null, firstInvalidRevision: 4, reason: 'differs_from_read_model' });
  });
});

describe('GET /audit', () => {
  it('walks every change across stories, newest first, over several pages without gaps or repeats', async () => {
    const { pages } = await walk<AuditRow>(t, `/audit?limit=4&to=2025-03-14T11:00:00Z`, { token: TOKENS.auditor });
    const rows = pages.flat();
    const expected = [...(await t.store.readStream(storyStreamId(a))), ...(await t.store.readStream(storyStreamId(b))), ...(await t.store.readStream(storyStreamId(c)))];
    expect(pages.length).toBeGreaterThan(2);
    expect(rows).toHaveLength(expected.length);
    expect(new Set(rows.map((r) => `${r.storyId}/${r.revision}`)).size).toBe(rows.length);
    const times = rows.map((r) => r.recordedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(rows[0]).toEqual({ storyId: c, revision: 2, eventType: 'CorrectionIssued', editorId: 'chief-lina', recordedAt: '2025-03-14T10:01:00.000Z', reason: 'The summary was unclear about who spoke.', correlationId: expect.any(String) });
  });

  it('filters by editor, event type, story and a recordedAt window', async () => {
    const james = (await read(t, '/audit?editorId=ed-james&limit=100', TOKENS.auditor)).body.items as AuditRow[];
    expect(james.map((r) => [r.storyId, r.revision])).toEqual([[b, 1], [a, 6], [a, 4]]);
    const opened = (await read(t, '/audit?eventType=StoryOpened', TOKENS.auditor)).body.items as AuditRow[];
    expect(opened.map((r) => r.storyId)).toEqual(expect.arrayContaining([c, b, a]));
    expect(opened.every((r) => r.eventType === 'StoryOpened')).toBe(true);
    const ofB = (await read(t, `/audit?storyId=${b}`, TOKENS.auditor)).body.items as AuditRow[];
    expect(ofB.map((r) => r.eventType)).toEqual(['StoryPublished', 'CorrectionIssued', 'StoryOpened']);
    const window = (await read(t, '/audit?from=2025-03-14T08:02:00Z&to=2025-03-14T08:04:00Z', TOKENS.auditor)).body.items as AuditRow[];
    expect(window.map((r) => r.recordedAt)).toEqual(['2025-03-14T08:03:00.000Z', '2025-03-14T08:02:00.000Z']);
    const combined = (await read(t, `/audit?editorId=ed-amira&storyId=${a}&eventType=DevelopmentLogged&to=2025-03-14T08:03:00Z`, TOKENS.auditor)).body.items as AuditRow[];
    expect(combined.map((r) => r.revision)).toEqual([2]);
  });

  it('answers 400 for an unknown event type, a bad date, a non-UUID story id, or an empty window', async () => {
    const cases: [string, string][] = [
      ['/audit?eventType=StoryDeleted', 'query.eventType'],
      ['/audit?from=last-week', 'query.from'],
      ['/audit?storyId=abc', 'query.storyId'],
      ['/audit?from=2025-03-14T10:00:00Z&to=2025-03-14T09:00:00Z', 'query.to'],
      ['/audit?limit=500', 'query.limit'],
      ['/audit?cursor=e30', 'query.cursor'],
      ['/audit?editor=ed-amira', 'query.editor'],
    ];
    for (const [path, param] of cases) {
      const res = await read(t, path, TOKENS.auditor);
      expect({ path, status: res.status, errors: res.body.errors }).toEqual({ path, status: 400, errors: [expect.objectContaining({ path: param })] });
    }
  });
});

describe('GET /corrections', () => {
  it('answers the corrections ledger across stories, newest first, page by page', async () => {
    const { pages } = await walk<Record<string, unknown>>(t, '/corrections?limit=1');
    expect(pages.map((p) => p.length)).toEqual([1, 1]);
    expect(pages.flat()).toEqual([
      {
        storyId: c,
        correctionId: expect.any(String),
        revision: 2,
        target: { type: 'summary', id: null },
        kind: 'clarification',
        note: 'The summary was unclear about who spoke.',
        correctedText: null,
        issuedAt: '2025-03-14T10:01:00.000Z',
        editorId: 'chief-lina',
      },
      expect.objectContaining({ storyId: b, revision: 2, target: { type: 'headline', id: null }, kind: 'correction', correctedText: 'Story B, corrected' }),
    ]);
  });

  it('is open to every role', async () => {
    for (const token of [TOKENS.editor, TOKENS.auditor, TOKENS.chief]) expect((await read(t, '/corrections', token)).body.items).toHaveLength(2);
  });
});
