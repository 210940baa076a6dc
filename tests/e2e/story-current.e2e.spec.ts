import { get, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
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
  it('answers the current story as JSON with its revision as ETag, and 304 for that ETag', async () => {
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

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A GET whose body comes back as the bytes on the wire (supertest would decode and parse them). */
async function rawGet(t: TestApp, path: string, headers: Record<string, string>): Promise<RawResponse> {
  const server = t.app.getHttpServer() as Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

describe('compressed story reads', () => {
  it('sends the stored bodies gzip to a client that accepts it, byte for byte the identity body, and as they are to one that does not', async () => {
    const story = await openStory(t);
    let revision = story.revision;
    for (let n = 0; n < 4; n += 1) revision = (await logDevelopment(t, story.id, revision)).revision;
    await catchUp(t);
    const asOf = encodeURIComponent(new Date().toISOString());
    for (const path of [`/stories/${story.id}`, `/stories/${story.id}/revisions/3`, `/stories/${story.id}/diff?from=1&to=${revision}`, `/stories/${story.id}?asOf=${asOf}`]) {
      const read = (encoding: string) => rawGet(t, path, { authorization: bearer(TOKENS.auditor), 'accept-encoding': encoding });
      const plain = await read('identity');
      const gzipped = await read('br;q=1, gzip;q=0.8');
      expect([path, plain.status, gzipped.status]).toEqual([path, 200, 200]);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      for (const res of [plain, gzipped]) {
        expect(res.headers.vary).toMatch(/Accept-Encoding/);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(Number(res.headers['content-length'])).toBe(res.body.length);
      }
      const text = plain.body.toString('utf8');
      expect(gunzipSync(gzipped.body).toString('utf8')).toBe(text);
      expect(gzipped.body.length).toBeLessThan(text.length);
      expect(JSON.parse(text)).toBeInstanceOf(Object);
      // The second gzip answer comes from the cache: the same bytes again.
      expect((await read('gzip')).body.equals(gzipped.body)).toBe(true);
    }
  }, CATCH_UP_WITHIN_MS + 10_000);
});
