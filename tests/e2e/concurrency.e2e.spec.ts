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

const post = (storyId: string, ifMatch: string | undefined, body: object = report) => {
  const req = t.http().post(`/stories/${storyId}/developments`).set('Authorization', bearer(TOKENS.editor));
  return (ifMatch === undefined ? req : req.set('If-Match', ifMatch)).send(body);
};

describe('a change without If-Match', () => {
  it('is refused with 428 and writes nothing', async () => {
    const story = await openStory(t);
    const res = await post(story.id, undefined);
    expect(res.status).toBe(428);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await t.store.readStream(storyStreamId(story.id))).toHaveLength(1);
  });
});

describe('a change with a stale If-Match', () => {
  it('is refused with 412 carrying the current revision', async () => {
    const story = await openStory(t);
    const first = await logDevelopment(t, story.id, 1);
    const res = await post(story.id, '"1"');
    expect(res.status).toBe(412);
    expect(res.body).toMatchObject({ status: 412, currentRevision: first.revision });
  });

  it('refuses a malformed If-Match with 400', async () => {
    const story = await openStory(t);
    const res = await post(story.id, 'seven');
    expect(res.status).toBe(400);
  });
});

describe('50 editors racing with the same If-Match', () => {
  it('lets exactly one win; the other 49 get 412 and the stream holds only the winner', async () => {
    const story = await openStory(t);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post(story.id, '"1"', { kind: 'update', text: `racer ${i}`, attribution: {} })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(49);
    const events = await t.store.readStream(storyStreamId(story.id));
    const winner = responses.find((r) => r.status === 201)?.body as { developmentId: string };
    expect(events.map((e) => e.type)).toEqual(['StoryOpened', 'DevelopmentLogged']);
    expect(events[1]?.data.developmentId).toBe(winner.developmentId);
  });
});

describe('If-Match: * under contention', () => {
  it('applies every change, each exactly once, retrying lost races on the server', async () => {
    const story = await openStory(t);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(story.id, '*', { kind: 'update', text: `update ${i}`, attribution: {} })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const events = await t.store.readStream(storyStreamId(story.id));
    expect(events).toHaveLength(21);
    expect(new Set(events.slice(1).map((e) => e.data.text)).size).toBe(20);
    expect(new Set(responses.map((r) => (r.body as { revision: number }).revision))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => i + 2)));
  });
});

describe('two API processes writing to one story', () => {
  it('keep each other honest: a stale cached fold is refreshed, never trusted', async () => {
    const other = await startTestApp({ db: t.db });
    try {
      const story = await openStory(t);
      // Process A caches the story at revision 1; process B then moves it on with a claim.
      const fromB = await logDevelopment(other, story.id, 1);
      // A has not seen that revision: with the client's If-Match from B it refreshes and appends.
      const fromA = await t
        .http()
        .post(`/stories/${story.id}/developments`)
        .set('Authorization', bearer(TOKENS.editor))
        .set('If-Match', `"${fromB.revision}"`)
        .send({ kind: 'confirmation', text: 'confirmed', attribution: {}, confirms: fromB.claimIds });
      expect(fromA.status).toBe(201);
      // B's cache is now stale too; If-Match: * with a rule on the new state still succeeds.
      const again = await other
        .http()
        .post(`/stories/${story.id}/developments`)
        .set('Authorization', bearer(TOKENS.editor))
        .set('If-Match', '*')
        .send({ kind: 'update', text: 'disputed', attribution: {}, disputes: fromB.claimIds });
      expect(again.status).toBe(201);
      const events = await t.store.readStream(storyStreamId(story.id));
      expect(events.map((e) => e.type)).toEqual(['StoryOpened', 'DevelopmentLogged', 'ClaimReported', 'DevelopmentLogged', 'ClaimConfirmed', 'DevelopmentLogged', 'ClaimDisputed']);
      // A stale If-Match is still refused, even by the process whose cache agreed with it.
      const stale = await post(story.id, `"${fromA.body.revision}"`);
      expect(stale.status).toBe(412);
      expect(stale.body.currentRevision).toBe(events.length);
    } finally {
      await other.close({ drop: false });
    }
  });
});
