import { type TestApp, TOKENS } from '../support/test-app';
import { CATCH_UP_WITHIN_MS, catchUp, read, startClockedApp, TestClock, walk, write } from './story-history.support';

// Above catchUp's own limit: on a busy server, projecting may wait for other tests' transactions.
jest.setTimeout(CATCH_UP_WITHIN_MS + 15_000);

interface ListItem {
  id: string;
  slug: string;
  headline: string;
  desk: string;
  status: string;
  revision: number;
  updatedAt: string;
}

/**
 * Eight stories: four opened at the very same instant (so only the id orders them), four more a
 * minute apart; two on the business desk; two published; search words in a headline, a summary
 * and a development.
 */
const clock = new TestClock('2025-03-14T08:00:00.000Z');
let t: TestApp;
const ids: string[] = [];

async function open(body: Record<string, unknown>): Promise<string> {
  const res = await t.http().post('/stories').set('Authorization', `Bearer ${TOKENS.editor}`).send({ desk: 'world', ...body });
  if (res.status !== 201) throw new Error(`open: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { storyId: string }).storyId;
}

beforeAll(async () => {
  t = await startClockedApp(clock);
  for (const n of [1, 2, 3, 4]) ids.push(await open({ headline: `Simultaneous story number ${n}` }));
  clock.set('2025-03-14T08:01:00.000Z');
  ids.push(await open({ headline: 'Airstrike kills ISIS leader in Anbar' }));
  clock.set('2025-03-14T08:02:00.000Z');
  ids.push(await open({ headline: 'Oil prices climb', desk: 'business', summary: 'Markets react to the airstrike news.' }));
  clock.set('2025-03-14T08:03:00.000Z');
  ids.push(await open({ headline: 'Central bank holds rates', desk: 'business' }));
  clock.set('2025-03-14T08:04:00.000Z');
  ids.push(await open({ headline: 'Talks resume in Geneva' }));
  clock.set('2025-03-14T08:05:00.000Z');
  await write(t, 'post', `/stories/${ids[7]}/developments`, { kind: 'update', text: 'Negotiators agreed a ceasefire framework overnight.', attribution: { anonymous: false } });
  clock.set('2025-03-14T08:06:00.000Z');
  await write(t, 'post', `/stories/${ids[4]}/publish`, {}, TOKENS.chief);
  clock.set('2025-03-14T08:07:00.000Z');
  await write(t, 'post', `/stories/${ids[6]}/publish`, {}, TOKENS.chief);
  await catchUp(t);
});
afterAll(async () => {
  await t.close();
});

describe('GET /stories', () => {
  it('lists stories most recently changed first, each with its revision', async () => {
    const res = await read(t, '/stories');
    expect(res.status).toBe(200);
    const items = res.body.items as ListItem[];
    expect(items).toHaveLength(8);
    expect(res.body.nextCursor).toBeNull();
    expect(items.slice(0, 4).map((i) => i.id)).toEqual([ids[6], ids[4], ids[7], ids[5]]);
    expect(items[0]).toEqual({
      id: ids[6],
      slug: 'central-bank-holds-rates',
      headline: 'Central bank holds rates',
      desk: 'business',
      status: 'published',
      revision: 2,
      updatedAt: '2025-03-14T08:07:00.000Z',
    });
    const times = items.map((i) => i.updatedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('walks every page without gaps or repeats, even among stories changed at the same instant', async () => {
    const { pages } = await walk<ListItem>(t, '/stories?limit=3');
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
    const walked = pages.flat().map((i) => i.id);
    expect(walked).toEqual((await read(t, '/stories?limit=100')).body.items.map((i: ListItem) => i.id));
    expect(new Set(walked)).toEqual(new Set(ids));
    const simultaneous = walked.filter((id) => ids.slice(0, 4).includes(id));
    expect(simultaneous).toEqual([...simultaneous].sort().reverse());
  });

  it('never repeats a story in one walk when stories change between pages; a changed story moves to the top of a fresh first page', async () => {
    const first = await read(t, '/stories?limit=3');
    const seen = (first.body.items as ListItem[]).map((i) => i.id);
    const notYetSeen = ids.filter((id) => !seen.includes(id));
    const movedAhead = notYetSeen[notYetSeen.length - 1] as string;
    clock.set('2025-03-14T09:00:00.000Z');
    await write(t, 'post', `/stories/${seen[1]}/developments`, { kind: 'update', text: 'More details emerged.', attribution: { anonymous: false } });
    clock.set('2025-03-14T09:01:00.000Z');
    await write(t, 'post', `/stories/${movedAhead}/developments`, { kind: 'update', text: 'A late update.', attribution: { anonymous: false } });
    await catchUp(t);

    const rest = await walk<ListItem>(t, '/stories?limit=3', { cursor: first.body.nextCursor as string });
    const walked = [...seen, ...rest.pages.flat().map((i) => i.id)];
    // Offset paging would show the third story again here, pushed down a place by the one that moved ahead.
    expect(new Set(walked).size).toBe(walked.length);
    expect(new Set(walked)).toEqual(new Set(ids.filter((id) => id !== movedAhead)));
    expect((await read(t, '/stories?limit=2')).body.items.map((i: ListItem) => i.id)).toEqual([movedAhead, seen[1]]);
  });

  it('filters by desk and by status, alone and together', async () => {
    const business = (await read(t, '/stories?desk=business')).body.items as ListItem[];
    expect(business.map((i) => i.id).sort()).toEqual([ids[5], ids[6]].sort());
    const published = (await read(t, '/stories?status=published')).body.items as ListItem[];
    expect(published.map((i) => i.id).sort()).toEqual([ids[4], ids[6]].sort());
    const both = (await read(t, '/stories?desk=business&status=published')).body.items as ListItem[];
    expect(both.map((i) => i.id)).toEqual([ids[6]]);
    expect((await read(t, '/stories?desk=sport')).body.items).toEqual([]);
  });

  it('searches headlines, summaries and developments with q', async () => {
    const search = async (q: string) => ((await read(t, `/stories?q=${encodeURIComponent(q)}`)).body.items as ListItem[]).map((i) => i.id).sort();
    expect(await search('airstrike')).toEqual([ids[4], ids[5]].sort());
    expect(await search('ceasefire')).toEqual([ids[7]]);
    expect(await search('airstrikes')).toEqual([ids[4], ids[5]].sort());
    expect(await search('airstrike -oil')).toEqual([ids[4]]);
    expect(await search('"holds rates"')).toEqual([ids[6]]);
    expect(await search('volcano')).toEqual([]);
    const combined = (await read(t, '/stories?q=airstrike&desk=business')).body.items as ListItem[];
    expect(combined.map((i) => i.id)).toEqual([ids[5]]);
  });

  it('answers 400 for a bad status, limit or cursor, and for an unknown parameter', async () => {
    const cases: [string, string][] = [
      ['/stories?status=archived', 'query.status'],
      ['/stories?limit=101', 'query.limit'],
      ['/stories?limit=0', 'query.limit'],
      ['/stories?cursor=abc', 'query.cursor'],
      ['/stories?sort=headline', 'query.sort'],
      ['/stories?desk=a&desk=b', 'query.desk'],
    ];
    for (const [path, param] of cases) {
      const res = await read(t, path);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: param })]);
    }
  });

  it('is open to every role', async () => {
    for (const token of [TOKENS.editor, TOKENS.chief, TOKENS.auditor]) expect((await read(t, '/stories?limit=1', token)).status).toBe(200);
  });
});
