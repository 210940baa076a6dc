import { bearer, startTestApp, type TestApp, TOKENS } from '../support/test-app';
import { logDevelopment, openStory } from '../support/story-requests';
import { CATCH_UP_WITHIN_MS, catchUp } from './story-history.support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('GET /stories/{id} for the current story', () => {
  it('answers the stored snapshot as JSON with its revision as ETag, and 304 for that ETag', async () => {
    const story = await openStory(t);
    const logged = await logDevelopment(t, story.id, 1);
    await catchUp(t);

    const res = await t.http().get(`/stories/${story.id}`).set('Authorization', bearer(TOKENS.auditor));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.etag).toBe(`"${logged.revision}"`);
    expect(res.body).toMatchObject({ id: story.id, revision: logged.revision, developments: [{ id: logged.developmentId }] });

    const again = await t.http().get(`/stories/${story.id}`).set('Authorization', bearer(TOKENS.auditor)).set('If-None-Match', `"${logged.revision}"`);
    expect(again.status).toBe(304);
    const stale = await t.http().get(`/stories/${story.id}`).set('Authorization', bearer(TOKENS.auditor)).set('If-None-Match', '"1"');
    expect(stale.status).toBe(200);
  }, CATCH_UP_WITHIN_MS + 10_000);
});
