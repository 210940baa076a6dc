import { DataSource } from 'typeorm';
import { storyStreamId } from '@newsroom/domain';
import { bearer, startTestApp, type TestApp, TOKENS } from '../support/test-app';
import { logDevelopment, openStory, report } from '../support/story-requests';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const logWithKey = (app: TestApp, storyId: string, key: string, body: object = report) =>
  app
    .http()
    .post(`/stories/${storyId}/developments`)
    .set('Authorization', bearer(TOKENS.editor))
    .set('If-Match', '"1"')
    .set('Idempotency-Key', key)
    .send(body);

describe('a retried request with the same Idempotency-Key and body', () => {
  it('gets the first response again and appends nothing', async () => {
    const story = await openStory(t);
    const first = await logWithKey(t, story.id, 'retry-1');
    const again = await logWithKey(t, story.id, 'retry-1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await t.store.readStream(storyStreamId(story.id))).toHaveLength(3);
  });

  it('replays the same answer for a story open, without opening a second story', async () => {
    const send = () => t.http().post('/stories').set('Authorization', bearer(TOKENS.editor)).set('Idempotency-Key', 'open-1').send({ headline: 'Once', desk: 'world' });
    const first = await send();
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.body.storyId).toBe(first.body.storyId);
    expect(again.headers.location).toBe(first.headers.location);
  });
});

describe('the same Idempotency-Key with a different body', () => {
  it('is refused with 422', async () => {
    const story = await openStory(t);
    expect((await logWithKey(t, story.id, 'mismatch-1')).status).toBe(201);
    const res = await logWithKey(t, story.id, 'mismatch-1', { ...report, text: 'something else' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('keys are per editor', () => {
  it('lets another editor use the same key for their own request', async () => {
    const story = await openStory(t);
    expect((await logWithKey(t, story.id, 'shared-key')).status).toBe(201);
    const other = await t
      .http()
      .post(`/stories/${story.id}/developments`)
      .set('Authorization', bearer(TOKENS.editor2))
      .set('If-Match', '*')
      .set('Idempotency-Key', 'shared-key')
      .send({ ...report, text: 'a different development' });
    expect(other.status).toBe(201);
    expect(await t.store.readStream(storyStreamId(story.id))).toHaveLength(5);
  });
});

describe('concurrent requests with one key', () => {
  it('produce one write, and every caller gets the same answer', async () => {
    const story = await openStory(t);
    const responses = await Promise.all(Array.from({ length: 10 }, () => logWithKey(t, story.id, 'concurrent-1')));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(responses.map((r) => (r.body as { developmentId: string }).developmentId)).size).toBe(1);
    expect(await t.store.readStream(storyStreamId(story.id))).toHaveLength(3);
  });
});

describe('a client error under a key', () => {
  it('is remembered too: the retry gets the same 412 without running again', async () => {
    const story = await openStory(t);
    await logWithKey(t, story.id, 'first-writer');
    const stale = await logWithKey(t, story.id, 'stale-1', { ...report, text: 'late' });
    expect(stale.status).toBe(412);
    const retry = await logWithKey(t, story.id, 'stale-1', { ...report, text: 'late' });
    expect(retry.status).toBe(412);
    expect(retry.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(retry.body.currentRevision).toBe(stale.body.currentRevision);
  });
});

describe('keys across a restart', () => {
  it('still replay after the API process is replaced', async () => {
    const own = await startTestApp();
    const story = await openStory(own);
    const first = await logWithKey(own, story.id, 'survives-restart');
    await own.close({ drop: false });
    const restarted = await startTestApp({ db: own.db });
    try {
      const again = await logWithKey(restarted, story.id, 'survives-restart');
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(await restarted.store.readStream(storyStreamId(story.id))).toHaveLength(3);
    } finally {
      await restarted.close();
    }
  }, 30_000); // it starts two applications, each migrating its own database: seconds on a loaded machine
});

describe('a retry after the first attempt died between writing and answering', () => {
  /** Puts a key back into the state a crash leaves: claimed, no stored answer, lease run out. */
  const simulateCrash = (key: string) =>
    t.app
      .get(DataSource)
      .query(
        `UPDATE api.idempotency_keys SET state = 'in_progress', response_status = NULL, response_body = NULL, lease_expires_at = now() - interval '1 second' WHERE key = $1`,
        [key],
      );

  it('answers what the first attempt wrote, without writing the development again', async () => {
    const story = await openStory(t);
    const first = await logWithKey(t, story.id, 'crash-1');
    await simulateCrash('crash-1');
    const retry = await logWithKey(t, story.id, 'crash-1');
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const events = await t.store.readStream(storyStreamId(story.id));
    expect(events).toHaveLength(3);
    expect(events[1]?.metadata.idempotencyKey).toBe('crash-1');
  });

  it('finds the story the first attempt opened instead of opening a second one', async () => {
    const send = () => t.http().post('/stories').set('Authorization', bearer(TOKENS.editor)).set('Idempotency-Key', 'crash-open').send({ headline: 'Once only', desk: 'world' });
    const first = await send();
    await simulateCrash('crash-open');
    const retry = await send();
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await t.store.readStream(storyStreamId(first.body.storyId))).toHaveLength(1);
  });
});

interface WriteCase {
  readonly path: string;
  readonly method: 'post' | 'patch';
  readonly token: string;
  readonly ifMatch?: string;
  readonly body: object;
}

/** Every write route, with a story in the state the request needs. */
const writeCases: Record<string, () => Promise<WriteCase>> = {
  'POST /stories': () => Promise.resolve({ path: '/stories', method: 'post', token: TOKENS.editor, body: { headline: 'Keyed open', desk: 'world' } }),
  'POST /stories/:storyId/developments': async () => {
    const story = await openStory(t);
    return { path: `/stories/${story.id}/developments`, method: 'post', token: TOKENS.editor, ifMatch: '"1"', body: report };
  },
  'PATCH /stories/:storyId': async () => {
    const story = await openStory(t);
    return { path: `/stories/${story.id}`, method: 'patch', token: TOKENS.editor, ifMatch: '"1"', body: { headline: 'Iraq confirms the strike', reason: 'Prime minister confirmed' } };
  },
  'POST /stories/:storyId/sources': async () => {
    const story = await openStory(t);
    return { path: `/stories/${story.id}/sources`, method: 'post', token: TOKENS.editor, ifMatch: '"1"', body: { url: 'https://example.org/report', publisher: 'Example Wire' } };
  },
  'POST /stories/:storyId/corrections': async () => {
    const story = await openStory(t);
    const logged = await logDevelopment(t, story.id, 1);
    return {
      path: `/stories/${story.id}/corrections`,
      method: 'post',
      token: TOKENS.chief,
      ifMatch: `"${logged.revision}"`,
      body: { target: { type: 'development', id: logged.developmentId }, correctedText: 'In Anbar, not Nineveh.', note: 'The province was misstated.' },
    };
  },
  'POST /stories/:storyId/retractions': async () => {
    const story = await openStory(t);
    const logged = await logDevelopment(t, story.id, 1);
    return {
      path: `/stories/${story.id}/retractions`,
      method: 'post',
      token: TOKENS.chief,
      ifMatch: `"${logged.revision}"`,
      body: { target: { type: 'claim', id: logged.claimIds[0] }, reason: 'The ministry withdrew the statement.' },
    };
  },
  'POST /stories/:storyId/publish': async () => {
    const story = await openStory(t);
    return { path: `/stories/${story.id}/publish`, method: 'post', token: TOKENS.chief, ifMatch: '"1"', body: {} };
  },
  'POST /stories/:storyId/withdraw': async () => {
    const story = await openStory(t);
    const published = await t.http().post(`/stories/${story.id}/publish`).set('Authorization', bearer(TOKENS.chief)).set('If-Match', '"1"').send({});
    if (published.status !== 200) throw new Error(`publish: ${published.status}`);
    return { path: `/stories/${story.id}/withdraw`, method: 'post', token: TOKENS.chief, ifMatch: '"2"', body: { reason: 'Legal review' } };
  },
};

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The write routes the running application mounts (Fastify's routes), as "METHOD /path". */
function mountedWriteRoutes(routes: readonly string[]): string[] {
  return routes.filter((route) => !READ_METHODS.has(route.split(' ')[0] ?? ''));
}

describe('every write route', () => {
  it('is covered below (a new write route must be added here)', () => {
    expect(mountedWriteRoutes(t.routes).sort()).toEqual(Object.keys(writeCases).sort());
  });

  it.each(Object.keys(writeCases))('%s answers a retry under the same key from the stored response, writing once', async (route) => {
    const write = await (writeCases[route] as () => Promise<WriteCase>)();
    const send = () => {
      const req = t.http()[write.method](write.path).set('Authorization', bearer(write.token)).set('Idempotency-Key', `every-route${route.replace(/[^A-Za-z]+/g, '-')}`);
      return (write.ifMatch ? req.set('If-Match', write.ifMatch) : req).send(write.body);
    };
    const first = await send();
    expect([200, 201]).toContain(first.status);
    const storyId = (first.body as { storyId: string }).storyId;
    const written = await t.store.readStream(storyStreamId(storyId));

    const again = await send();
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(await t.store.readStream(storyStreamId(storyId))).toHaveLength(written.length);
  });
});
