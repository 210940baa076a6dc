import { type AddressInfo } from 'node:net';
import { applyPatch, type Operation } from 'fast-json-patch';
import { storyStreamId } from '@newsroom/domain';
import { type DemoResult, runDemo } from '../../tools/demo/run-demo';
import { startTestApp, type TestApp, TOKENS } from '../support/test-app';
import { CATCH_UP_WITHIN_MS, catchUp, read } from './story-history.support';

// Above catchUp's own limit: on a busy server, projecting may wait for other tests' transactions.
jest.setTimeout(CATCH_UP_WITHIN_MS + 15_000);

/**
 * The seed story logged through the public API by the demo (17 revisions), then asked the
 * questions the history API exists for.
 *   r1 opened · r2-r4 first report + 2 claims · r5-r6 anonymous official + "Anbar" claim ·
 *   r7-r9 prime minister's confirmation of both claims · r10-r11 Trump's statement, confirming again ·
 *   r12 visit · r13 background · r14 source · r15 headline revised · r16 published · r17 Trump's title corrected
 */
let t: TestApp;
let demo: DemoResult;
let storyId: string;

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  demo = await runDemo({ baseUrl, editorToken: TOKENS.editor, chiefToken: TOKENS.chief, log: () => undefined });
  storyId = demo.storyId;
  await catchUp(t);
});
afterAll(async () => {
  await t.close();
});

interface Revision {
  revision: number;
  eventType: string;
  recordedAt: string;
  editorId: string;
  reason: string | null;
}

const revisions = async (): Promise<Revision[]> => (await read(t, `/stories/${storyId}/revisions?limit=100`)).body.items as Revision[];

describe('the demo story, through the history API', () => {
  it('says what the story says now: published, the revised headline, the corrected statement beside its note', async () => {
    expect(demo.revision).toBe(17);
    const res = await read(t, `/stories/${storyId}`);
    expect(res.headers.etag).toBe('"17"');
    expect(res.body).toMatchObject({ revision: 17, status: 'published', headline: "Iraq's prime minister confirms ISIS leader killed in Anbar airstrike" });
    expect(res.body.developments).toHaveLength(6);
    expect(res.body.sources).toEqual([expect.objectContaining({ publisher: 'The Times of Israel' })]);
    const trump = res.body.developments.find((d: { id: string }) => d.id === demo.developments.trump);
    expect(trump.text).toMatch(/^US President Donald Trump/);
    expect(trump.originalText).toMatch(/^Former US president Donald Trump/);
    expect(trump.corrections).toEqual([expect.objectContaining({ kind: 'correction', note: expect.stringMatching(/called Donald Trump a former president/) })]);
  });

  it('says what it said at a moment between two revisions (asOf)', async () => {
    const all = await revisions();
    const confirmation = all.find((r) => r.revision === 7) as Revision;
    const statement = all.find((r) => r.revision === 10) as Revision;
    expect(Date.parse(statement.recordedAt)).toBeGreaterThan(Date.parse(confirmation.recordedAt));
    // Half a millisecond after the confirmation was logged: after r7-r9 (one command), before r10.
    const between = confirmation.recordedAt.replace('Z', '500Z');
    const res = await read(t, `/stories/${storyId}?asOf=${between}`);
    expect(res.status).toBe(200);
    expect(res.body.revision).toBe(9);
    expect(res.body.status).toBe('draft');
    expect(res.body.headline).toBe('ISIS leader in Iraq and Syria reported killed in joint airstrike');
    expect(res.body.developments.map((d: { kind: string }) => d.kind)).toEqual(['report', 'report', 'confirmation']);
    expect(res.body.claims.map((c: { status: string }) => c.status)).toEqual(['confirmed', 'confirmed', 'reported']);
  });

  it('says what changed between revision 3 and 7 (diff), exactly and in words', async () => {
    const diff = await read(t, `/stories/${storyId}/diff?from=3&to=7`);
    const at3 = (await read(t, `/stories/${storyId}/revisions/3`)).body.snapshot;
    const at7 = (await read(t, `/stories/${storyId}/revisions/7`)).body.snapshot;
    expect(applyPatch(structuredClone(at3), diff.body.patch as Operation[], true, false).newDocument).toEqual(at7);
    expect(diff.body.changes).toEqual([
      expect.stringMatching(/^development added \(report\): "A security official says the operation took place in Anbar/),
      expect.stringMatching(/^development added \(confirmation\): "Prime Minister Mohammed Shia al-Sudani confirmed/),
      'claim "The strike was a joint operation of Iraqi national intelligence and the US-led…" reported',
      'claim "The strike took place in Anbar province on Thursday night" reported',
    ]);
    const confirmed = await read(t, `/stories/${storyId}/diff?from=7&to=9`);
    expect(confirmed.body.changes).toContain('claim "The leader of ISIS in Iraq and Syria, Abu Khadija, was killed in an airstrike" reported -> confirmed');
  });

  it('says who changed it and why (revisions and the audit trail)', async () => {
    const all = await revisions();
    expect(all.map((r) => r.revision)).toEqual(Array.from({ length: 17 }, (_, i) => 17 - i));
    expect(new Set(all.map((r) => r.editorId))).toEqual(new Set(['ed-amira', 'chief-lina']));
    expect(all.find((r) => r.eventType === 'HeadlineRevised')).toMatchObject({ revision: 15, editorId: 'ed-amira', reason: 'Confirmed by the prime minister on X' });
    const audit = await read(t, `/audit?storyId=${storyId}&editorId=chief-lina`, TOKENS.auditor);
    expect(audit.body.items.map((r: Revision) => [r.revision, r.eventType])).toEqual([
      [17, 'CorrectionIssued'],
      [16, 'StoryPublished'],
    ]);
    expect(audit.body.items[0].reason).toMatch(/former president/);
  });

  it('says which claims were confirmed, by which development, and which text was corrected', async () => {
    const claims = (await read(t, `/stories/${storyId}/claims`)).body.items as { id: string; status: string; history: { status: string; developmentId: string | null }[] }[];
    const byName = (name: string) => claims.find((c) => c.id === demo.claims[name]);
    expect(byName('killed')?.status).toBe('confirmed');
    expect(byName('killed')?.history.map((h) => h.status)).toEqual(['reported', 'confirmed', 'confirmed']);
    expect(byName('killed')?.history[2]?.developmentId).toBe(demo.developments.trump);
    expect(byName('joint-operation')?.history.map((h) => h.status)).toEqual(['reported', 'confirmed']);
    expect(byName('anbar')?.status).toBe('reported');
    const ledger = (await read(t, '/corrections')).body.items;
    expect(ledger).toEqual([expect.objectContaining({ storyId, revision: 17, target: { type: 'development', id: demo.developments.trump }, editorId: 'chief-lina' })]);
  });

  it('puts the developments in the order they happened: "Thursday night" first, undated ones where they were logged', async () => {
    const items = (await read(t, `/stories/${storyId}/timeline`)).body.items as { kind: string; occurredAtLabel: string | null }[];
    expect(items.map((i) => i.kind)).toEqual(['report', 'confirmation', 'statement', 'visit', 'report', 'background']);
    expect(items[0]?.occurredAtLabel).toBe('Thursday night');
  });

  it('says no event has been tampered with (verify)', async () => {
    const res = await read(t, `/stories/${storyId}/verify`, TOKENS.auditor);
    const stored = await t.store.readStream(storyStreamId(storyId));
    expect(res.body).toEqual({ valid: true, revision: 17, headHash: stored.at(-1)?.metadata.hash, crossChecked: 17 });
  });
});
