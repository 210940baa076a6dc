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

const eventsOf = async (storyId: string) => t.store.readStream(storyStreamId(storyId));

describe('POST /stories', () => {
  it('opens a draft story: 201, Location, ETag "1", and a StoryOpened event by the token\'s editor', async () => {
    const res = await t
      .http()
      .post('/stories')
      .set('Authorization', bearer(TOKENS.editor))
      .set('X-Correlation-Id', 'corr-open-1')
      .send({ headline: 'ISIS leader killed in Anbar airstrike', desk: 'world', summary: 'Iraq says a joint strike killed the group\'s leader.' });
    expect(res.status).toBe(201);
    const { storyId, revision } = res.body as { storyId: string; revision: number };
    expect(revision).toBe(1);
    expect(res.headers.location).toBe(`/stories/${storyId}`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers['x-correlation-id']).toBe('corr-open-1');
    const [opened] = await eventsOf(storyId);
    expect(opened?.type).toBe('StoryOpened');
    expect(opened?.data).toMatchObject({ storyId, headline: 'ISIS leader killed in Anbar airstrike', desk: 'world', slug: 'isis-leader-killed-in-anbar-airstrike', language: 'en' });
    expect(opened?.metadata).toMatchObject({ editorId: 'ed-amira', correlationId: 'corr-open-1' });
  });

  it('refuses an editorId in the body: the acting editor comes only from the token', async () => {
    const res = await t.http().post('/stories').set('Authorization', bearer(TOKENS.editor)).send({ headline: 'H', desk: 'world', editorId: 'someone-else' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'editorId', message: 'is not a known field' }]);
  });
});

describe('POST /stories/{id}/developments', () => {
  it('logs a report with its claims: 201 with the development id and the claim ids in order', async () => {
    const story = await openStory(t);
    const res = await t
      .http()
      .post(`/stories/${story.id}/developments`)
      .set('Authorization', bearer(TOKENS.editor))
      .set('If-Match', '"1"')
      .send({ ...report, claims: [{ text: 'first claim' }, { text: 'second claim' }] });
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"4"');
    const body = res.body as { storyId: string; revision: number; developmentId: string; claimIds: string[] };
    expect(body.revision).toBe(4);
    const events = await eventsOf(story.id);
    expect(events.map((e) => e.type)).toEqual(['StoryOpened', 'DevelopmentLogged', 'ClaimReported', 'ClaimReported']);
    expect(events[1]?.data.developmentId).toBe(body.developmentId);
    expect(events.slice(2).map((e) => [e.data.claimId, e.data.text])).toEqual([
      [body.claimIds[0], 'first claim'],
      [body.claimIds[1], 'second claim'],
    ]);
  });

  it('records an anonymous official with the reason and an imprecise time', async () => {
    const story = await openStory(t);
    await logDevelopment(t, story.id, 1, {
      kind: 'report',
      text: 'A security official says the strike hit Anbar province on Thursday night.',
      occurredAt: '2025-03-13T21:00:00Z',
      occurredAtPrecision: 'approximate',
      occurredAtLabel: 'Thursday night',
      location: 'Anbar province, western Iraq',
      attribution: { role: 'security official', anonymous: true, anonymityReason: 'not authorised to discuss a sensitive operation' },
    });
    const [, logged] = await eventsOf(story.id);
    expect(logged?.data).toMatchObject({
      occurredAt: { at: '2025-03-13T21:00:00Z', precision: 'approximate', label: 'Thursday night' },
      attribution: { anonymous: true, anonymityReason: 'not authorised to discuss a sensitive operation' },
    });
  });

  it('answers 400 with the field path for an anonymous source without a reason', async () => {
    const story = await openStory(t);
    const res = await t
      .http()
      .post(`/stories/${story.id}/developments`)
      .set('Authorization', bearer(TOKENS.editor))
      .set('If-Match', '"1"')
      .send({ kind: 'report', text: 'x', attribution: { anonymous: true } });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, errors: [{ path: 'attribution.anonymityReason' }] });
    expect(await eventsOf(story.id)).toHaveLength(1);
  });

  it('confirms a claim in the same command that logs the confirmation', async () => {
    const story = await openStory(t);
    const first = await logDevelopment(t, story.id, 1);
    const confirmation = await logDevelopment(t, story.id, first.revision, {
      kind: 'confirmation',
      text: 'The prime minister confirmed the death on X.',
      attribution: { name: 'Mohammed Shia al-Sudani', role: 'Prime Minister of Iraq', platform: 'X', anonymous: false },
      confirms: first.claimIds,
    });
    expect(confirmation.revision).toBe(first.revision + 2);
    const events = await eventsOf(story.id);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['DevelopmentLogged', 'ClaimConfirmed']);
    expect(events.at(-1)?.data).toMatchObject({ claimId: first.claimIds[0], developmentId: confirmation.developmentId });
  });

  it('answers 409 when confirming a retracted claim, and writes nothing', async () => {
    const story = await openStory(t);
    const first = await logDevelopment(t, story.id, 1);
    const retract = await t
      .http()
      .post(`/stories/${story.id}/retractions`)
      .set('Authorization', bearer(TOKENS.chief))
      .set('If-Match', `"${first.revision}"`)
      .send({ target: { type: 'claim', id: first.claimIds[0] }, reason: 'The ministry withdrew the statement.' });
    expect(retract.status).toBe(201);
    const res = await t
      .http()
      .post(`/stories/${story.id}/developments`)
      .set('Authorization', bearer(TOKENS.editor))
      .set('If-Match', `"${retract.body.revision}"`)
      .send({ kind: 'confirmation', text: 'confirmed', attribution: {}, confirms: first.claimIds });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'CLAIM_RETRACTED', status: 409 });
    expect(await eventsOf(story.id)).toHaveLength(retract.body.revision);
  });

  it('answers 404 for an unknown story and for an unknown claim', async () => {
    const missing = await t
      .http()
      .post('/stories/00000000-0000-4000-8000-000000000000/developments')
      .set('Authorization', bearer(TOKENS.editor))
      .set('If-Match', '"1"')
      .send(report);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('STORY_NOT_FOUND');
    const story = await openStory(t);
    const unknownClaim = await t
      .http()
      .post(`/stories/${story.id}/developments`)
      .set('Authorization', bearer(TOKENS.editor))
      .set('If-Match', '"1"')
      .send({ kind: 'update', text: 'x', attribution: {}, disputes: ['00000000-0000-4000-8000-000000000001'] });
    expect(unknownClaim.status).toBe(404);
    expect(unknownClaim.body.code).toBe('CLAIM_NOT_FOUND');
  });
});

describe('PATCH /stories/{id}', () => {
  it('revises the headline with the reason in the event metadata', async () => {
    const story = await openStory(t);
    const res = await t
      .http()
      .patch(`/stories/${story.id}`)
      .set('Authorization', bearer(TOKENS.editor))
      .set('If-Match', '"1"')
      .send({ headline: 'Iraq confirms ISIS leader killed in Anbar strike', reason: 'Prime minister confirmed' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ storyId: story.id, revision: 2 });
    const events = await eventsOf(story.id);
    expect(events[1]?.type).toBe('HeadlineRevised');
    expect(events[1]?.metadata.reason).toBe('Prime minister confirmed');
  });

  it('requires a reason', async () => {
    const story = await openStory(t);
    const res = await t.http().patch(`/stories/${story.id}`).set('Authorization', bearer(TOKENS.editor)).set('If-Match', '"1"').send({ headline: 'New' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
  });
});

describe('sources, corrections, publish and withdraw', () => {
  it('cites a source that a later development refers to', async () => {
    const story = await openStory(t);
    const cited = await t
      .http()
      .post(`/stories/${story.id}/sources`)
      .set('Authorization', bearer(TOKENS.editor))
      .set('If-Match', '"1"')
      .send({ url: 'https://www.timesofisrael.com/head-of-isis-in-iraq-and-syria-killed/', publisher: 'The Times of Israel' });
    expect(cited.status).toBe(201);
    expect(cited.body).toEqual({ storyId: story.id, revision: 2, sourceId: expect.any(String) });
    const logged = await logDevelopment(t, story.id, 2, { ...report, sourceIds: [cited.body.sourceId] });
    expect(logged.revision).toBe(4);
  });

  it('issues a correction of a development with its public note', async () => {
    const story = await openStory(t);
    const first = await logDevelopment(t, story.id, 1);
    const res = await t
      .http()
      .post(`/stories/${story.id}/corrections`)
      .set('Authorization', bearer(TOKENS.chief))
      .set('If-Match', `"${first.revision}"`)
      .send({
        target: { type: 'development', id: first.developmentId },
        correctedText: 'The strike took place in Anbar province, not Nineveh.',
        note: 'An earlier version misstated the province.',
      });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ storyId: story.id, revision: first.revision + 1, correctionId: expect.any(String) });
    const last = (await eventsOf(story.id)).at(-1);
    expect(last?.data).toMatchObject({ correctionId: res.body.correctionId, kind: 'correction', note: 'An earlier version misstated the province.' });
  });

  it('refuses a correction without a note', async () => {
    const story = await openStory(t);
    const res = await t
      .http()
      .post(`/stories/${story.id}/corrections`)
      .set('Authorization', bearer(TOKENS.chief))
      .set('If-Match', '"1"')
      .send({ target: { type: 'headline' }, correctedText: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'note' })]);
  });

  it('publishes, withdraws, and then refuses any further development with 409', async () => {
    const story = await openStory(t);
    const published = await t.http().post(`/stories/${story.id}/publish`).set('Authorization', bearer(TOKENS.chief)).set('If-Match', '"1"').send({});
    expect(published.status).toBe(200);
    expect(published.headers.etag).toBe('"2"');
    const withdrawn = await t
      .http()
      .post(`/stories/${story.id}/withdraw`)
      .set('Authorization', bearer(TOKENS.chief))
      .set('If-Match', '"2"')
      .send({ reason: 'Legal review' });
    expect(withdrawn.status).toBe(200);
    const res = await t.http().post(`/stories/${story.id}/developments`).set('Authorization', bearer(TOKENS.editor)).set('If-Match', '"3"').send(report);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('STORY_WITHDRAWN');
  });

  it('publishes with no body at all', async () => {
    const story = await openStory(t);
    const res = await t.http().post(`/stories/${story.id}/publish`).set('Authorization', bearer(TOKENS.chief)).set('If-Match', '"1"');
    expect(res.status).toBe(200);
  });
});
