import { type AddressInfo } from 'node:net';
import { evolve, initialState, storyStreamId, toStoryEvent, verifyChain } from '@newsroom/domain';
import { runDemo } from '../../tools/demo/run-demo';
import { startTestApp, type TestApp, TOKENS } from '../support/test-app';

let t: TestApp;
let baseUrl: string;
beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t.close();
});

describe('the demo (the seed story through the public API)', () => {
  it('logs every development in order, confirms the claims and publishes, on an intact hash chain', async () => {
    const lines: string[] = [];
    const result = await runDemo({ baseUrl, editorToken: TOKENS.editor, chiefToken: TOKENS.chief, log: (l) => lines.push(l) });
    expect(lines).toHaveLength(11);

    const events = await t.store.readStream(storyStreamId(result.storyId));
    expect(events).toHaveLength(result.revision);
    const developments = events.filter((e) => e.type === 'DevelopmentLogged').map((e) => e.data.kind);
    expect(developments).toEqual(['report', 'report', 'confirmation', 'statement', 'visit', 'background']);

    const anonymous = events.find((e) => e.type === 'DevelopmentLogged' && (e.data.attribution as { anonymous: boolean }).anonymous);
    expect(anonymous?.data).toMatchObject({ location: 'Anbar province, western Iraq', occurredAt: { precision: 'approximate', label: 'Thursday night' } });
    const onX = events.find((e) => e.type === 'DevelopmentLogged' && (e.data.attribution as { platform?: string }).platform === 'X');
    expect(onX?.data.kind).toBe('confirmation');

    const state = events.map(toStoryEvent).reduce(evolve, initialState());
    expect(state.status).toBe('published');
    if (state.status === 'absent') throw new Error('story not opened');
    expect(state.headline).toMatch(/prime minister confirms/);
    expect(state.claims.get(result.claims.killed as string)?.status).toBe('confirmed');
    expect(state.claims.get(result.claims.anbar as string)?.status).toBe('reported');
    expect(state.sources.size).toBe(1);
    expect(state.developments.get(result.developments.trump as string)).toEqual({ kind: 'statement', retracted: false });
    const trumpLogged = events.find((e) => e.type === 'DevelopmentLogged' && e.data.developmentId === result.developments.trump);
    expect(trumpLogged?.data.text).toMatch(/^Former US president Donald Trump/);
    const trumpCorrected = events.find((e) => e.type === 'CorrectionIssued' && (e.data.target as { id?: string }).id === result.developments.trump);
    expect(trumpCorrected?.data.correctedText).toMatch(/^US President Donald Trump/);

    expect(verifyChain(storyStreamId(result.storyId), events)).toMatchObject({ valid: true });
    expect(new Set(events.map((e) => e.metadata.editorId))).toEqual(new Set(['ed-amira', 'chief-lina']));
  });
});
