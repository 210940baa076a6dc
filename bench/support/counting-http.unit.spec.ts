import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { CountingHttpClient, ResponseCounter } from './counting-http';

const response = (status: number, body: string, headers: Record<string, string> = {}): Buffer => {
  const head = [`HTTP/1.1 ${status} X`, `Content-Length: ${Buffer.byteLength(body)}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`);
};

/** Feeds `bytes` in the given pieces (at the cut positions), returning every response completed. */
function feed(counter: ResponseCounter, bytes: Buffer, cuts: readonly number[]): { status: number; bytes: number }[] {
  const done: { status: number; bytes: number }[] = [];
  const edges = [0, ...cuts, bytes.length];
  for (let i = 0; i + 1 < edges.length; i += 1) {
    // Each piece arrives in a buffer of its own with stale bytes after it, as a reused read buffer holds.
    const piece = Buffer.concat([bytes.subarray(edges[i], edges[i + 1]), Buffer.from('\r\n\r\nSTALE')]);
    const end = (edges[i + 1] as number) - (edges[i] as number);
    let at = 0;
    while (at < end) {
      const result = counter.push(piece, at, end);
      if (!result) break;
      done.push({ ...result.response });
      at += result.used;
    }
  }
  return done;
}

describe('ResponseCounter', () => {
  const body = '{"headline":"Minister confirms the strike — «officials»"}';
  const one = response(200, body, { 'Content-Type': 'application/json' });

  it('counts a response cut at any byte, the head included', () => {
    for (let cut = 1; cut < one.length; cut += 1) {
      expect(feed(new ResponseCounter(), one, [cut])).toEqual([{ status: 200, bytes: Buffer.byteLength(body) }]);
    }
  });

  it('counts a response that arrives a byte at a time', () => {
    const cuts = Array.from({ length: one.length - 1 }, (_, i) => i + 1);
    expect(feed(new ResponseCounter(), one, cuts)).toEqual([{ status: 200, bytes: Buffer.byteLength(body) }]);
  });

  it('tells back-to-back responses apart, a bodiless 304 among them', () => {
    const bytes = Buffer.concat([one, Buffer.from('HTTP/1.1 304 Not Modified\r\nETag: "7"\r\n\r\n'), response(404, 'gone')]);
    expect(feed(new ResponseCounter(), bytes, [])).toEqual([
      { status: 200, bytes: Buffer.byteLength(body) },
      { status: 304, bytes: 0 },
      { status: 404, bytes: 4 },
    ]);
  });

  it('refuses a chunked body and a body of unknown length rather than miscount them', () => {
    expect(() => feed(new ResponseCounter(), Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n'), [])).toThrow(/chunked/);
    expect(() => feed(new ResponseCounter(), Buffer.from('HTTP/1.1 200 OK\r\n\r\nabcd'), [])).toThrow(/Content-Length/);
    expect(() => feed(new ResponseCounter(), Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 4x\r\n\r\nabcd'), [])).toThrow(/not a length/);
  });
});

describe('CountingHttpClient', () => {
  let server: http.Server;
  let baseUrl: string;
  const big = 'x'.repeat(200_000);

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/big') return void res.end(big);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ url: req.url, auth: req.headers.authorization ?? null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends GETs with their headers over kept-alive connections and counts each body', async () => {
    const client = new CountingHttpClient(baseUrl, 2);
    try {
      const expected = (url: string): number => JSON.stringify({ url, auth: 'Bearer t' }).length;
      for (let i = 0; i < 5; i += 1) {
        const [a, b] = await Promise.all([client.get(0, `/a/${i}`, { authorization: 'Bearer t' }), client.get(1, '/b', { authorization: 'Bearer t' })]);
        expect(a).toEqual({ status: 200, bytes: expected(`/a/${i}`) });
        expect(b).toEqual({ status: 200, bytes: expected('/b') });
      }
      // Larger than the read buffer: counted over several reads.
      expect(await client.get(0, '/big', {})).toEqual({ status: 200, bytes: big.length });
      await expect(client.get(5, '/', {})).rejects.toThrow(RangeError);
    } finally {
      client.close();
    }
  });
});
