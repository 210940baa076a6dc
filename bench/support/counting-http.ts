import net from 'node:net';

/** One HTTP/1.1 response as a counting client sees it: its status and how many body bytes it had. */
export interface CountedResponse {
  readonly status: number;
  readonly bytes: number;
}

const HEAD_END = '\r\n\r\n';
const MAX_HEAD_BYTES = 64 * 1024;

/**
 * Reads one HTTP/1.1 response at a time from bytes as they arrive, in any pieces: the head as text
 * (small), the body only counted, never copied. Bodies must have a Content-Length (the API sends
 * one with every answer); a chunked body is refused rather than miscounted.
 */
export class ResponseCounter {
  private head = '';
  private status = 0;
  private remaining = -1;
  private bytes = 0;

  /**
   * Feeds bytes [start, end) of `chunk`. Returns the response once it is complete, with how many
   * of the bytes it used (the rest belong to the next response), or null when it needs more.
   */
  push(chunk: Buffer, start: number, end: number): { readonly response: CountedResponse; readonly used: number } | null {
    let at = start;
    if (this.remaining < 0) {
      if (this.head === '') {
        // The usual case: the whole head in this read. Search the bytes; only the head becomes text.
        const found = chunk.subarray(start, end).indexOf(HEAD_END, 0, 'latin1');
        if (found < 0) {
          this.head = chunk.toString('latin1', start, end);
          return null;
        }
        this.startBody(chunk.toString('latin1', start, start + found));
        at = start + found + HEAD_END.length;
      } else {
        // A head split across reads: join the text (heads are small) and search that.
        const before = this.head.length;
        this.head += chunk.toString('latin1', start, Math.min(end, start + MAX_HEAD_BYTES));
        const found = this.head.indexOf(HEAD_END);
        if (found < 0) {
          if (this.head.length > MAX_HEAD_BYTES) throw new Error('response head too long');
          return null;
        }
        this.startBody(this.head.slice(0, found));
        at = start + (found + HEAD_END.length - before);
      }
      this.head = '';
    }
    const take = Math.min(this.remaining, end - at);
    this.remaining -= take;
    this.bytes += take;
    if (this.remaining > 0) return null;
    const response = { status: this.status, bytes: this.bytes };
    this.remaining = -1;
    this.bytes = 0;
    return { response, used: at + take - start };
  }

  private startBody(head: string): void {
    const lines = head.split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!status) throw new Error(`not an HTTP/1.1 status line: ${lines[0] ?? ''}`);
    this.status = Number(status[1]);
    let length: number | null = null;
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') {
        length = /^\d+$/.test(value) ? Number(value) : Number.NaN;
        if (!Number.isSafeInteger(length)) throw new Error(`Content-Length "${value}" is not a length`);
      }
      if (name === 'transfer-encoding' && value.toLowerCase() !== 'identity') throw new Error(`a ${value} body cannot be counted`);
    }
    // A 204 or 304 has no body; anything else says how long it is.
    if (length === null && this.status !== 204 && this.status !== 304) throw new Error(`status ${this.status} without Content-Length`);
    this.remaining = length ?? 0;
  }
}

/**
 * GET requests over keep-alive connections, one request at a time on each, their answers counted
 * by ResponseCounter. Every connection reads into one buffer of its own, reused for every read:
 * per answer it allocates a few small strings and objects, no buffer. node:http allocates a
 * buffer for every socket read and copies every body chunk into another, hundreds of MB a second
 * at the read benchmark's rates, outside V8's heap, and that drove the load generator into
 * back-to-back full garbage collections that paused it while answers waited to be timestamped
 * (docs/PERFORMANCE.md, section 6).
 */
export class CountingHttpClient {
  private readonly connections: CountingConnection[];

  constructor(baseUrl: string, connections: number) {
    const url = new URL(baseUrl);
    this.connections = Array.from({ length: connections }, () => new CountingConnection(url.hostname, Number(url.port)));
  }

  /** A GET on connection `connection` (a reader's own), which must not have one in flight. */
  get(connection: number, path: string, headers: Readonly<Record<string, string>>): Promise<CountedResponse> {
    const target = this.connections[connection];
    if (!target) return Promise.reject(new RangeError(`no connection ${connection}`));
    return target.get(path, headers);
  }

  close(): void {
    for (const connection of this.connections) connection.close();
  }
}

class CountingConnection {
  private socket: net.Socket | null = null;
  private readonly counter = new ResponseCounter();
  private readonly buffer = Buffer.allocUnsafe(64 * 1024);
  private pending: { resolve: (response: CountedResponse) => void; reject: (error: Error) => void } | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  get(path: string, headers: Readonly<Record<string, string>>): Promise<CountedResponse> {
    if (this.pending) return Promise.reject(new Error('a request is already in flight on this connection'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      const lines = [`GET ${path} HTTP/1.1`, `Host: ${this.host}:${this.port}`, 'Connection: keep-alive'];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      this.connect().write(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private connect(): net.Socket {
    if (this.socket) return this.socket;
    const socket = net.connect({
      host: this.host,
      port: this.port,
      noDelay: true,
      onread: { buffer: this.buffer, callback: (bytes) => this.onRead(bytes) },
    });
    const fail = (error: Error): void => {
      if (this.socket === socket) this.socket = null;
      const pending = this.pending;
      this.pending = null;
      pending?.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
    this.socket = socket;
    return socket;
  }

  private onRead(bytes: number): boolean {
    let at = 0;
    try {
      while (at < bytes) {
        const done = this.counter.push(this.buffer, at, bytes);
        if (!done) return true;
        at += done.used;
        const pending = this.pending;
        this.pending = null;
        pending?.resolve(done.response);
      }
    } catch (error) {
      const pending = this.pending;
      this.pending = null;
      pending?.reject(error instanceof Error ? error : new Error(String(error)));
      this.close();
    }
    return true;
  }
}
