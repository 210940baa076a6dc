import http from 'node:http';

export interface JsonResponse {
  readonly status: number;
  readonly etag: string | undefined;
  readonly body: unknown;
}

/**
 * A small JSON client on node:http with a keep-alive agent: one socket per concurrent editor,
 * reused across requests, and much less CPU per request than fetch, which matters when the load
 * generator shares two cores with the server and PostgreSQL.
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, sockets: number) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  }

  post(path: string, body: unknown, headers: Readonly<Record<string, string>>): Promise<JsonResponse> {
    return this.request('POST', path, headers, JSON.stringify(body));
  }

  get(path: string, headers: Readonly<Record<string, string>> = {}): Promise<JsonResponse> {
    return this.request('GET', path, headers, undefined);
  }

  /** A GET whose body is counted, not parsed: for read benchmarks, where parsing would cost the generator more than the request. */
  getSize(path: string, headers: Readonly<Record<string, string>> = {}): Promise<{ readonly status: number; readonly bytes: number }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.host, port: this.port, method: 'GET', path, agent: this.agent, headers }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private request(method: string, path: string, headers: Readonly<Record<string, string>>, payload: string | undefined): Promise<JsonResponse> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: {
            ...headers,
            ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const json = /json/.test(res.headers['content-type'] ?? '');
            try {
              resolve({ status: res.statusCode ?? 0, etag: res.headers.etag, body: json && text !== '' ? (JSON.parse(text) as unknown) : text });
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}
