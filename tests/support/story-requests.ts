import { bearer, type TestApp, TOKENS } from './test-app';

/** Opens a story as the editor and returns its id and revision, asserting the 201 on the way. */
export async function openStory(t: TestApp, body: Record<string, unknown> = {}): Promise<{ id: string; revision: number }> {
  const res = await t
    .http()
    .post('/stories')
    .set('Authorization', bearer(TOKENS.editor))
    .send({ headline: 'ISIS leader in Iraq and Syria reported killed in airstrike', desk: 'world', ...body });
  if (res.status !== 201) throw new Error(`open story: ${res.status} ${JSON.stringify(res.body)}`);
  const { storyId, revision } = res.body as { storyId: string; revision: number };
  return { id: storyId, revision };
}

export const report = {
  kind: 'report',
  text: 'An airstrike in a joint operation of Iraqi intelligence and the US-led coalition killed the leader of ISIS in Iraq and Syria.',
  attribution: { affiliation: 'Iraqi government', anonymous: false },
  claims: [{ text: 'Abdallah Maki Mosleh al-Rifai, known as Abu Khadija, was killed in the strike' }],
};

export async function logDevelopment(
  t: TestApp,
  storyId: string,
  revision: number,
  body: Record<string, unknown> = report,
  token: string = TOKENS.editor,
): Promise<{ revision: number; developmentId: string; claimIds: string[] }> {
  const res = await t
    .http()
    .post(`/stories/${storyId}/developments`)
    .set('Authorization', bearer(token))
    .set('If-Match', `"${revision}"`)
    .send(body);
  if (res.status !== 201) throw new Error(`log development: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { revision: number; developmentId: string; claimIds: string[] };
}
