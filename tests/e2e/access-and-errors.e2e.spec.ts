import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { bearer, startTestApp, type TestApp, TOKENS } from '../support/test-app';
import { logDevelopment, openStory, report } from '../support/story-requests';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('authentication', () => {
  it('answers 401 problem+json without a token, with a WWW-Authenticate challenge', async () => {
    const res = await t.http().post('/stories').send({ headline: 'H', desk: 'world' });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body).toMatchObject({ type: '/problems/unauthenticated', title: expect.any(String), status: 401, detail: expect.any(String) });
  });

  it('answers 401 for an unknown token', async () => {
    const res = await t.http().post('/stories').set('Authorization', 'Bearer not-a-known-token-at-all').send({ headline: 'H', desk: 'world' });
    expect(res.status).toBe(401);
  });

  it('keeps health public', async () => {
    expect((await t.http().get('/health/live')).status).toBe(200);
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', checks: { database: { status: 'up' }, eventStore: { status: 'up' } } });
  });
});

describe('roles', () => {
  let storyId: string;
  let claimId: string;
  let revision: number;
  beforeAll(async () => {
    const story = await openStory(t);
    const logged = await logDevelopment(t, story.id, 1);
    storyId = story.id;
    claimId = logged.claimIds[0] as string;
    revision = logged.revision;
  });

  const attempt = (token: string, path: string, body: object) =>
    t.http().post(`/stories/${storyId}${path}`).set('Authorization', bearer(token)).set('If-Match', '*').send(body);

  it('refuses the auditor any write with 403', async () => {
    expect((await t.http().post('/stories').set('Authorization', bearer(TOKENS.auditor)).send({ headline: 'H', desk: 'world' })).status).toBe(403);
    expect((await attempt(TOKENS.auditor, '/developments', report)).status).toBe(403);
    expect((await attempt(TOKENS.auditor, '/sources', { url: 'https://example.org/a', publisher: 'P' })).status).toBe(403);
  });

  it('lets an editor log, cite and revise, but not publish, withdraw, correct or retract', async () => {
    expect((await attempt(TOKENS.editor, '/sources', { url: 'https://example.org/a', publisher: 'P' })).status).toBe(201);
    expect((await t.http().patch(`/stories/${storyId}`).set('Authorization', bearer(TOKENS.editor)).set('If-Match', '*').send({ summary: 'S', reason: 'r' })).status).toBe(200);
    const refused = await Promise.all([
      attempt(TOKENS.editor, '/publish', {}),
      attempt(TOKENS.editor, '/withdraw', { reason: 'r' }),
      attempt(TOKENS.editor, '/corrections', { target: { type: 'claim', id: claimId }, note: 'n' }),
      attempt(TOKENS.editor, '/retractions', { target: { type: 'claim', id: claimId }, reason: 'r' }),
    ]);
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(refused[0]?.body.code).toBe('FORBIDDEN');
  });

  it('lets a chief correct, retract and publish', async () => {
    expect((await attempt(TOKENS.chief, '/corrections', { target: { type: 'claim', id: claimId }, note: 'Clarified the name.', kind: 'clarification' })).status).toBe(201);
    expect((await attempt(TOKENS.chief, '/retractions', { target: { type: 'claim', id: claimId }, reason: 'Not confirmed' })).status).toBe(201);
    expect((await attempt(TOKENS.chief, '/publish', {})).status).toBe(200);
    expect(revision).toBeGreaterThan(1);
  });
});

/** A superagent serialiser that sends a Buffer body as it is. */
const asBytes = (body: unknown): string => body as string;

describe('bad input', () => {
  it('answers 415 for a body that is not JSON', async () => {
    const res = await t.http().post('/stories').set('Authorization', bearer(TOKENS.editor)).set('Content-Type', 'text/plain').send('headline=H');
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await t.http().post('/stories').set('Authorization', bearer(TOKENS.editor)).set('Content-Type', 'application/json').send('{"headline": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('reads a gzip-encoded body, and answers 400 problem+json for one that does not inflate', async () => {
    const postGzipped = (bytes: Buffer) =>
      t
        .http()
        .post('/stories')
        .set('Authorization', bearer(TOKENS.editor))
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        // As bytes: superagent would serialise a Buffer as JSON for a JSON content type.
        .serialize(asBytes)
        .send(bytes);
    const gzipped = gzipSync(JSON.stringify({ headline: 'Gzipped opening', desk: 'world' }));
    expect((await postGzipped(gzipped)).status).toBe(201);
    const corrupt = Buffer.from(gzipped);
    corrupt.fill(0x41, 10, 20);
    const bad = await postGzipped(corrupt);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body).toMatchObject({ status: 400, code: 'INVALID_REQUEST', title: 'The request body could not be read' });
  });

  it('answers 413 for a body over the 64 KiB limit', async () => {
    const res = await t
      .http()
      .post('/stories')
      .set('Authorization', bearer(TOKENS.editor))
      .send({ headline: 'H', desk: 'world', summary: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 400 listing every invalid and unknown field', async () => {
    const res = await t.http().post('/stories').set('Authorization', bearer(TOKENS.editor)).send({ headline: '', desk: 'world', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'headline' }), { path: 'colour', message: 'is not a known field' }]),
    );
  });

  it('answers 400 for a headline over 300 characters', async () => {
    const res = await t.http().post('/stories').set('Authorization', bearer(TOKENS.editor)).send({ headline: 'h'.repeat(301), desk: 'world' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'headline' })]);
  });

  it('answers 400 naming the text for JSON that is not an object or an array', async () => {
    const res = await t.http().post('/stories').set('Authorization', bearer(TOKENS.editor)).set('Content-Type', 'application/json').send(' 42');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'INVALID_REQUEST',
      title: 'The request is not valid',
      detail: 'The request body is not valid JSON: Unexpected token \'4\', " 42" is not valid JSON',
      errors: [{ path: 'body', message: 'Unexpected token \'4\', " 42" is not valid JSON' }],
    });
  });

  it('names the body as what is wrong whichever parser read it: the fast path (plain JSON) or body-parser (any other JSON type)', async () => {
    for (const type of ['application/json', 'application/json;charset=utf-8', 'application/problem+json']) {
      const res = await t.http().post('/stories').set('Authorization', bearer(TOKENS.editor)).set('Content-Type', type).send('{"headline": ');
      expect([type, res.status, res.headers['content-type']]).toEqual([type, 400, 'application/problem+json; charset=utf-8']);
      expect(res.body).toMatchObject({ code: 'INVALID_REQUEST', title: 'The request is not valid', errors: [{ path: 'body' }] });
      expect(res.body.detail).toMatch(/^The request body is not valid JSON: /);
    }
  });

  it('answers a %-escape that does not decode with 400 in a story id and 404 elsewhere, as problem+json with a correlation id', async () => {
    const param = await t.http().get('/stories/%FF/claims').set('Authorization', bearer(TOKENS.editor)).set('X-Correlation-Id', 'bad-escape-1');
    expect(param.status).toBe(400);
    expect(param.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(param.headers['x-correlation-id']).toBe('bad-escape-1');
    expect(param.body).toMatchObject({ code: 'INVALID_REQUEST', detail: "The request path does not decode: '%FF' is not a valid %-escape", correlationId: 'bad-escape-1' });
    const elsewhere = await t.http().get('/stor%FFies').set('Authorization', bearer(TOKENS.editor));
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toMatchObject({ code: 'NOT_FOUND', detail: 'Cannot GET /stor%FFies' });
    const line = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.correlationId === 'bad-escape-1');
    expect(line).toMatchObject({ msg: 'request', route: 'unmatched', status: 400 });
  });

  it('answers 404 problem+json for an unknown route and a non-UUID story id', async () => {
    const route = await t.http().get('/nowhere').set('Authorization', bearer(TOKENS.editor));
    expect(route.status).toBe(404);
    expect(route.headers['content-type']).toMatch(/^application\/problem\+json/);
    const story = await t.http().post('/stories/not-a-uuid/developments').set('Authorization', bearer(TOKENS.editor)).set('If-Match', '"1"').send(report);
    expect(story.status).toBe(404);
  });
});

describe('while the database is unreachable', () => {
  it('answers 503 with Retry-After, then recovers', async () => {
    const own = await startTestApp();
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const story = await openStory(own);
      await admin.query(`ALTER DATABASE ${own.db.name} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [own.db.name]);
      const down = await own.http().post(`/stories/${story.id}/developments`).set('Authorization', bearer(TOKENS.editor)).set('If-Match', '"1"').send(report);
      expect(down.status).toBe(503);
      expect(down.headers['retry-after']).toBeDefined();
      expect(down.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((await own.http().get('/health/ready')).status).toBe(503);
      await admin.query(`ALTER DATABASE ${own.db.name} ALLOW_CONNECTIONS true`);
      const up = await own.http().post(`/stories/${story.id}/developments`).set('Authorization', bearer(TOKENS.editor)).set('If-Match', '"1"').send(report);
      expect(up.status).toBe(201);
    } finally {
      await admin.query(`ALTER DATABASE ${own.db.name} ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
      await own.close();
    }
  }, 30_000); // it starts its own application and database: seconds on a loaded machine
});

describe('observability', () => {
  it('serves the OpenAPI document with every write endpoint', async () => {
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    const paths = Object.keys((res.body as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/stories',
        '/stories/{storyId}',
        '/stories/{storyId}/developments',
        '/stories/{storyId}/sources',
        '/stories/{storyId}/corrections',
        '/stories/{storyId}/retractions',
        '/stories/{storyId}/publish',
        '/stories/{storyId}/withdraw',
      ]),
    );
  });

  it('serves Swagger UI at /docs with its assets', async () => {
    const page = await t.http().get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const css = await t.http().get('/docs/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const bundle = await t.http().get('/docs/swagger-ui-bundle.js');
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('exposes request, append and conflict counters in Prometheus format', async () => {
    const story = await openStory(t);
    await t.http().post(`/stories/${story.id}/developments`).set('Authorization', bearer(TOKENS.editor)).set('If-Match', '"9"').send(report);
    const res = await t.http().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/newsroom_http_requests_total\{method="POST",route="\/stories",status="201"\} \d+/);
    // The route template, not the path with the story's id.
    expect(res.text).toMatch(/newsroom_http_requests_total\{method="POST",route="\/stories\/:storyId\/developments",status="412"\} \d+/);
    expect(res.text).toMatch(/newsroom_event_appends_total\{command="OpenStory"\} \d+/);
    expect(res.text).toMatch(/newsroom_append_conflicts_total\{outcome="precondition_failed"\} \d+/);
    expect(res.text).toContain('newsroom_http_request_duration_seconds_bucket');
  });

  it('logs each request as one JSON line with its correlation id', async () => {
    await t.http().get('/health/live').set('X-Correlation-Id', 'log-check-42');
    const line = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.correlationId === 'log-check-42');
    expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'GET', status: 200 });
  });
});
