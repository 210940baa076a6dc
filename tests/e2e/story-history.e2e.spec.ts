import { applyPatch, type Operation } from 'fast-json-patch';
import { Client } from 'pg';
import { startTestApp, type TestApp, TOKENS } from '../support/test-app';
import { CATCH_UP_WITHIN_MS, catchUp, read, startClockedApp, TestClock, walk, write } from './story-history.support';

// Above catchUp's own limit: on a busy server, projecting may wait for other tests' transactions.
jest.setTimeout(CATCH_UP_WITHIN_MS + 15_000);

/**
 * One story, written at known instants (the app's clock is the test's):
 *
 *   08:00  r1      opened
 *   08:10  r2, r3  development A (report, no time given) + claim "killed"
 *   08:20  r4, r5  development B (approximate: "Thursday night") + claim "Anbar"
 *   08:30  r6, r7  development C (exact time) confirming "killed"
 *   08:40  r8      headline revised, with a reason
 *   08:50  r9      development A corrected (chief)
 *   09:00  r10     development D (day precision: "Thursday")
 *   09:10  r11     published (chief)
 *   09:20  r12     claim "Anbar" retracted (chief)
 */
const clock = new TestClock('2025-03-14T08:00:00.000Z');
let t: TestApp;
let storyId: string;
const dev: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };
const claim: Record<'killed' | 'anbar', string> = { killed: '', anbar: '' };

const HEADLINE = 'ISIS leader reported killed in airstrike';
const REVISED = 'Ministry confirms ISIS leader killed in Anbar airstrike';
const TEXT_A = 'Reports say an airstrike killed the leader of ISIS in Iraq and Syria.';
const CORRECTED_A = 'Iraqi officials say an airstrike killed the leader of ISIS in Iraq and Syria.';
const KILLED = 'The leader of ISIS in Iraq and Syria was killed in the strike';

async function logAt(at: string, body: object, token: string = TOKENS.editor): Promise<{ developmentId: string; claimIds: string[] }> {
  clock.set(at);
  const res = await t.http().post(`/stories/${storyId}/developments`).set('Authorization', `Bearer ${token}`).set('If-Match', '*').send(body);
  if (res.status !== 201) throw new Error(`log development: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { developmentId: string; claimIds: string[] };
}

beforeAll(async () => {
  t = await startClockedApp(clock, { READ_YOUR_WRITES_TIMEOUT_MS: '20000' });
  const opened = await t
    .http()
    .post('/stories')
    .set('Authorization', `Bearer ${TOKENS.editor}`)
    .send({ headline: HEADLINE, desk: 'world', summary: 'A strike in western Iraq.' });
  storyId = (opened.body as { storyId: string }).storyId;

  const a = await logAt('2025-03-14T08:10:00.000Z', { kind: 'report', text: TEXT_A, attribution: { affiliation: 'Wire', anonymous: false }, claims: [{ text: KILLED }] });
  dev.a = a.developmentId;
  claim.killed = a.claimIds[0] as string;
  const b = await logAt('2025-03-14T08:20:00.000Z', {
    kind: 'report',
    text: 'A security official says the strike hit Anbar province on Thursday night.',
    occurredAt: '2025-03-13T21:00:00+03:00',
    occurredAtPrecision: 'approximate',
    occurredAtLabel: 'Thursday night',
    attribution: { role: 'security official', anonymous: true, anonymityReason: 'not authorised to speak' },
    claims: [{ text: 'The strike took place in Anbar province' }],
  });
  dev.b = b.developmentId;
  claim.anbar = b.claimIds[0] as string;
  const c = await logAt('2025-03-14T08:30:00.000Z', {
    kind: 'confirmation',
    text: 'The interior ministry confirmed the death at a news conference.',
    occurredAt: '2025-03-14T07:30:00Z',
    occurredAtPrecision: 'exact',
    attribution: { affiliation: 'Interior ministry', anonymous: false },
    confirms: [claim.killed],
  });
  dev.c = c.developmentId;
  clock.set('2025-03-14T08:40:00.000Z');
  await t
    .http()
    .patch(`/stories/${storyId}`)
    .set('Authorization', `Bearer ${TOKENS.editor}`)
    .set('If-Match', '"7"')
    .set('X-Correlation-Id', 'corr-headline-8')
    .send({ headline: REVISED, reason: 'Confirmed by the ministry' })
    .expect(200);
  clock.set('2025-03-14T08:50:00.000Z');
  await write(t, 'post', `/stories/${storyId}/corrections`, { target: { type: 'development', id: dev.a }, correctedText: CORRECTED_A, note: 'The report came from Iraqi officials.' }, TOKENS.chief);
  const d = await logAt('2025-03-14T09:00:00.000Z', {
    kind: 'background',
    text: 'The coalition had flown reconnaissance over the area earlier in the week.',
    occurredAt: '2025-03-13',
    occurredAtPrecision: 'day',
    occurredAtLabel: 'Thursday',
    attribution: { anonymous: false },
  });
  dev.d = d.developmentId;
  clock.set('2025-03-14T09:10:00.000Z');
  await write(t, 'post', `/stories/${storyId}/publish`, {}, TOKENS.chief);
  clock.set('2025-03-14T09:20:00.000Z');
  await write(t, 'post', `/stories/${storyId}/retractions`, { target: { type: 'claim', id: claim.anbar }, reason: 'Not confirmed by a second source' }, TOKENS.chief);
  await catchUp(t);
});
afterAll(async () => {
  await t.close();
});

describe('GET /stories/{id}', () => {
  it('answers the current story with its revision in the body, the ETag and X-Read-Model-Revision', async () => {
    const res = await read(t, `/stories/${storyId}`);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"12"');
    expect(res.headers['x-read-model-revision']).toBe('12');
    expect(res.body).toMatchObject({ id: storyId, headline: REVISED, desk: 'world', status: 'published', revision: 12 });
    expect(res.body.developments.map((d: { id: string }) => d.id)).toEqual([dev.a, dev.b, dev.c, dev.d]);
    expect(res.body.claims.map((c: { status: string }) => c.status)).toEqual(['confirmed', 'retracted']);
  });

  it('shows a corrected development with its corrected text beside the correction note', async () => {
    const res = await read(t, `/stories/${storyId}`);
    const corrected = res.body.developments.find((d: { id: string }) => d.id === dev.a);
    expect(corrected).toMatchObject({
      text: CORRECTED_A,
      originalText: TEXT_A,
      corrections: [expect.objectContaining({ kind: 'correction', note: 'The report came from Iraqi officials.', correctedText: CORRECTED_A })],
    });
  });

  it('answers 404 problem+json for an unknown story and for a non-UUID id', async () => {
    const unknown = await read(t, '/stories/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.body.code).toBe('STORY_NOT_FOUND');
    expect((await read(t, '/stories/not-a-uuid')).status).toBe(404);
  });

  it('refuses an unknown query parameter with 400 naming it', async () => {
    const res = await read(t, `/stories/${storyId}?colour=red`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'INVALID_QUERY', errors: [{ path: 'query.colour', message: 'is not a known query parameter' }] });
  });
});

describe('GET /stories/{id}?asOf=', () => {
  const asOf = (instant: string) => read(t, `/stories/${storyId}?asOf=${encodeURIComponent(instant)}`);

  it('answers the story as it stood between two revisions, at the last revision recorded before that moment', async () => {
    const res = await asOf('2025-03-14T08:15:00Z');
    expect(res.status).toBe(200);
    expect(res.body.revision).toBe(3);
    expect(res.headers.etag).toBe('"3"');
    expect(res.headers['x-read-model-revision']).toBe('12');
    expect(res.body.headline).toBe(HEADLINE);
    expect(res.body.status).toBe('draft');
    expect(res.body.developments).toEqual([expect.objectContaining({ id: dev.a, text: TEXT_A, originalText: null })]);
    expect(res.body.claims).toEqual([expect.objectContaining({ id: claim.killed, status: 'reported' })]);
  });

  it('includes every event recorded at exactly that instant (a command\'s events share it)', async () => {
    const res = await asOf('2025-03-14T08:30:00.000Z');
    expect(res.body.revision).toBe(7);
    expect(res.body.claims.find((c: { id: string }) => c.id === claim.killed).status).toBe('confirmed');
  });

  it('reads an instant with an offset as that instant', async () => {
    expect((await asOf('2025-03-14T11:45:00+03:00')).body.revision).toBe(8);
  });

  it('answers the story at its first revision at the moment it was opened, and the current story after the last one', async () => {
    expect((await asOf('2025-03-14T08:00:00Z')).body).toMatchObject({ revision: 1, developments: [] });
    const later = await asOf('2030-01-01T00:00:00Z');
    expect(later.body.revision).toBe(12);
    expect(later.body).toEqual((await read(t, `/stories/${storyId}`)).body);
  });

  it('answers 404 before the story existed', async () => {
    const res = await asOf('2025-03-14T07:59:59.999Z');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'STORY_NOT_FOUND', openedAt: '2025-03-14T08:00:00.000Z' });
  });

  it('answers 400 for a date that cannot be read, or a time without a zone', async () => {
    for (const bad of ['yesterday', '2025-03-14T08:15:00', '2025-02-30T08:00:00Z']) {
      const res = await asOf(bad);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'query.asOf' })]);
    }
  });
});

describe('GET /stories/{id}/revisions', () => {
  it('lists every revision newest first, across pages, without gaps or repeats', async () => {
    const { pages } = await walk<{ revision: number }>(t, `/stories/${storyId}/revisions?limit=5`);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(pages.flat().map((r) => r.revision)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('says who changed the story, when and why', async () => {
    const res = await read(t, `/stories/${storyId}/revisions?limit=5`);
    expect(res.headers['x-read-model-revision']).toBe('12');
    expect(res.body.items[4]).toEqual({
      revision: 8,
      eventType: 'HeadlineRevised',
      recordedAt: '2025-03-14T08:40:00.000Z',
      editorId: 'ed-amira',
      reason: 'Confirmed by the ministry',
      summary: expect.stringContaining('revised the headline'),
    });
    expect(res.body.items[0]).toMatchObject({ revision: 12, eventType: 'ClaimRetracted', editorId: 'chief-lina', reason: 'Not confirmed by a second source' });
  });

  it('answers 400 for a limit out of range, a cursor it did not give out, or another list\'s cursor', async () => {
    for (const limit of ['0', '101', 'ten', '-1']) {
      const res = await read(t, `/stories/${storyId}/revisions?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'query.limit', message: 'must be an integer from 1 to 100' }]);
    }
    const storiesCursor = (await read(t, '/stories?limit=1')).body.nextCursor as string | null;
    for (const cursor of ['not-a-cursor!', Buffer.from('{"k":"revisions","r":"x"}').toString('base64url'), storiesCursor ?? 'eyJrIjoic3RvcmllcyJ9']) {
      const res = await read(t, `/stories/${storyId}/revisions?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'query.cursor', message: 'is not a cursor this endpoint gave out' }]);
    }
  });
});

describe('GET /stories/{id}/revisions/{n}', () => {
  it('answers one revision: who, when, why, the correlation id, what changed, and the story exactly as it stood', async () => {
    const res = await read(t, `/stories/${storyId}/revisions/8`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      revision: 8,
      eventType: 'HeadlineRevised',
      recordedAt: '2025-03-14T08:40:00.000Z',
      editorId: 'ed-amira',
      reason: 'Confirmed by the ministry',
      correlationId: 'corr-headline-8',
      changes: [`headline "${HEADLINE}" -> "${REVISED}"`],
    });
    expect(res.body.snapshot).toMatchObject({ revision: 8, headline: REVISED, status: 'draft' });
    expect(res.body.snapshot.developments).toHaveLength(3);
  });

  it('rebuilds the same snapshot that asOf answers for that revision', async () => {
    const revision = await read(t, `/stories/${storyId}/revisions/5`);
    const asOf = await read(t, `/stories/${storyId}?asOf=2025-03-14T08:25:00Z`);
    expect(revision.body.snapshot).toEqual(asOf.body);
  });

  it('names the revision in its ETag and answers 304 to If-None-Match with it, but not to another revision\'s', async () => {
    const first = await read(t, `/stories/${storyId}/revisions/6`);
    expect(first.headers.etag).toBe('"6"');
    const again = await read(t, `/stories/${storyId}/revisions/6`).set('If-None-Match', '"6"');
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe('"6"');
    expect(again.headers['x-read-model-revision']).toBe('12');
    const other = await read(t, `/stories/${storyId}/revisions/6`).set('If-None-Match', '"5"');
    expect(other.status).toBe(200);
    expect(other.body).toEqual(first.body);
    const unknown = await read(t, `/stories/${storyId}/revisions/13`).set('If-None-Match', '"13"');
    expect(unknown.status).toBe(404);
  });

  it('answers a revision read again (from memory) exactly as the first time, and asOf for it the same snapshot', async () => {
    for (const n of [2, 9, 12]) {
      const first = await read(t, `/stories/${storyId}/revisions/${n}`);
      const again = await read(t, `/stories/${storyId}/revisions/${n}`);
      expect(again.text).toBe(first.text);
    }
    const diff = await read(t, `/stories/${storyId}/diff?from=2&to=11`);
    expect((await read(t, `/stories/${storyId}/diff?from=2&to=11`)).text).toBe(diff.text);
  });

  it('answers 404 for a revision the story does not have', async () => {
    for (const n of ['13', '0', 'abc', '1.5']) {
      const res = await read(t, `/stories/${storyId}/revisions/${n}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('REVISION_NOT_FOUND');
    }
  });
});

describe('GET /stories/{id}/diff', () => {
  it('answers a JSON Patch that turns revision a into revision b, for revisions far apart', async () => {
    const diff = await read(t, `/stories/${storyId}/diff?from=3&to=9`);
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: 3, to: 9 });
    const a = (await read(t, `/stories/${storyId}/revisions/3`)).body.snapshot;
    const b = (await read(t, `/stories/${storyId}/revisions/9`)).body.snapshot;
    expect(applyPatch(structuredClone(a), diff.body.patch as Operation[], true, false).newDocument).toEqual(b);
  });

  it('says what changed in lines a person can read', async () => {
    const diff = await read(t, `/stories/${storyId}/diff?from=3&to=9`);
    expect(diff.body.changes).toEqual(
      expect.arrayContaining([
        `headline "${HEADLINE}" -> "${REVISED}"`,
        `claim "${KILLED}" reported -> confirmed`,
        'claim "The strike took place in Anbar province" reported',
        `development "${TEXT_A}" corrected to "${CORRECTED_A}"`,
        expect.stringMatching(/^development added \(confirmation\)/),
      ]),
    );
  });

  it('works backwards too: the patch from a later revision to an earlier one undoes the change', async () => {
    const diff = await read(t, `/stories/${storyId}/diff?from=12&to=1`);
    const a = (await read(t, `/stories/${storyId}/revisions/12`)).body.snapshot;
    const b = (await read(t, `/stories/${storyId}/revisions/1`)).body.snapshot;
    expect(applyPatch(structuredClone(a), diff.body.patch as Operation[], true, false).newDocument).toEqual(b);
    expect(diff.body.changes).toContain('status published -> draft');
  });

  it('answers 400 for a revision that does not exist, or a missing or malformed one', async () => {
    const missing = await read(t, `/stories/${storyId}/diff?from=3&to=13`);
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ path: 'query.to', message: 'revision 13 does not exist; the story is at revision 12' }]);
    const malformed = await read(t, `/stories/${storyId}/diff?from=x`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.from', 'query.to']);
  });
});

describe('GET /stories/{id}/timeline', () => {
  it('orders developments by when they happened, imprecise times at the instant logged for them, undated ones when logged', async () => {
    const res = await read(t, `/stories/${storyId}/timeline`);
    expect(res.status).toBe(200);
    expect(res.headers['x-read-model-revision']).toBe('12');
    expect(res.body.items.map((i: { developmentId: string }) => i.developmentId)).toEqual([dev.d, dev.b, dev.c, dev.a]);
    expect(res.body.items).toEqual([
      expect.objectContaining({ kind: 'background', occurredAt: '2025-03-13', occurredAtPrecision: 'day', occurredAtLabel: 'Thursday' }),
      expect.objectContaining({
        kind: 'report',
        occurredAt: '2025-03-13T21:00:00+03:00',
        occurredAtPrecision: 'approximate',
        occurredAtLabel: 'Thursday night',
        recordedAt: '2025-03-14T08:20:00.000Z',
        status: 'active',
      }),
      expect.objectContaining({ kind: 'confirmation', occurredAt: '2025-03-14T07:30:00Z', occurredAtPrecision: 'exact', occurredAtLabel: null }),
      expect.objectContaining({ kind: 'report', occurredAt: null, occurredAtPrecision: null, recordedAt: '2025-03-14T08:10:00.000Z', text: CORRECTED_A }),
    ]);
  });

  it('orders them by when they were logged with order=recorded', async () => {
    const res = await read(t, `/stories/${storyId}/timeline?order=recorded`);
    expect(res.body.items.map((i: { developmentId: string }) => i.developmentId)).toEqual([dev.a, dev.b, dev.c, dev.d]);
  });

  it('refuses an unknown order with 400', async () => {
    const res = await read(t, `/stories/${storyId}/timeline?order=alphabetical`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'query.order' })]);
  });
});

describe('GET /stories/{id}/claims', () => {
  it('answers each claim with how its status changed, who changed it and in which development', async () => {
    const res = await read(t, `/stories/${storyId}/claims`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        id: claim.killed,
        text: KILLED,
        status: 'confirmed',
        history: [
          { status: 'reported', at: '2025-03-14T08:10:00.000Z', editorId: 'ed-amira', developmentId: dev.a, revision: 3, reason: null },
          { status: 'confirmed', at: '2025-03-14T08:30:00.000Z', editorId: 'ed-amira', developmentId: dev.c, revision: 7, reason: null },
        ],
      }),
      expect.objectContaining({
        id: claim.anbar,
        status: 'retracted',
        history: [
          expect.objectContaining({ status: 'reported', developmentId: dev.b }),
          { status: 'retracted', at: '2025-03-14T09:20:00.000Z', editorId: 'chief-lina', developmentId: null, revision: 12, reason: 'Not confirmed by a second source' },
        ],
      }),
    ]);
  });
});

describe('read-your-writes (?minRevision=)', () => {
  it('waits for the projection to reach the revision, then answers it', async () => {
    clock.set('2025-03-14T09:30:00.000Z');
    const revision = await write(t, 'post', `/stories/${storyId}/sources`, { url: 'https://example.org/strike', publisher: 'Example News' });
    expect(revision).toBe(13);
    expect((await read(t, `/stories/${storyId}`)).body.revision).toBe(12);

    const pending = read(t, `/stories/${storyId}/claims?minRevision=13`).then((res) => res);
    await untilListening(t);
    await catchUp(t);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers['x-read-model-revision']).toBe('13');
  });

  it('answers at once when the read model is already there', async () => {
    const res = await read(t, `/stories/${storyId}?minRevision=2`);
    expect(res.status).toBe(200);
    expect(res.body.revision).toBe(13);
  });

  it('answers 503 with Retry-After when the revision is not reached in time', async () => {
    // A second API on the same database, configured to wait 300 ms instead of this file's 20 s.
    const impatient = await startTestApp({ db: t.db, env: { READ_YOUR_WRITES_TIMEOUT_MS: '300' } });
    try {
      const started = Date.now();
      const res = await read(impatient, `/stories/${storyId}/timeline?minRevision=99`);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'READ_MODEL_BEHIND', minRevision: 99, projectedRevision: 13 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      await impatient.close({ drop: false });
    }
  });

  it('answers 400 for a minRevision that is not a positive integer', async () => {
    const res = await read(t, `/stories/${storyId}?minRevision=0`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'query.minRevision' })]);
  });
});

describe('without a token', () => {
  it('answers 401 on every story read', async () => {
    for (const path of ['/stories', `/stories/${storyId}`, `/stories/${storyId}/revisions`, `/stories/${storyId}/revisions/1`, `/stories/${storyId}/diff?from=1&to=2`, `/stories/${storyId}/timeline`, `/stories/${storyId}/claims`, '/corrections']) {
      expect((await t.http().get(path)).status).toBe(401);
    }
  });
});

/** Until the API's read-your-writes LISTEN connection is open: a read is then waiting for the projection. */
async function untilListening(app: TestApp): Promise<void> {
  const admin = new Client({ connectionString: app.db.url });
  await admin.connect();
  try {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const { rows } = await admin.query<{ query: string }>(`SELECT query FROM pg_stat_activity WHERE application_name = 'newsroom-api-read-your-writes'`);
      if (rows.some((row) => /LISTEN read_models_advanced/i.test(row.query))) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the API never started listening for read_models_advanced');
  } finally {
    await admin.end();
  }
}

describe('the OpenAPI document', () => {
  it('lists every history and audit endpoint, and says that /verify counts revisions from 1', async () => {
    const res = await t.http().get('/docs-json');
    const paths = (res.body as { paths: Record<string, Record<string, { description?: string }>> }).paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/stories/{storyId}/revisions',
        '/stories/{storyId}/revisions/{revision}',
        '/stories/{storyId}/diff',
        '/stories/{storyId}/timeline',
        '/stories/{storyId}/claims',
        '/stories/{storyId}/events',
        '/stories/{storyId}/verify',
        '/audit',
        '/corrections',
      ]),
    );
    expect(paths['/stories/{storyId}']?.get).toBeDefined();
    expect(paths['/stories']?.get).toBeDefined();
    expect(paths['/stories/{storyId}/verify']?.get?.description).toMatch(/1-based story revision/);
  });
});
