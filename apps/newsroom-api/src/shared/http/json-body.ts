import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const gzipAsync = promisify(gzip);

/**
 * zlib's fastest level: for a 57 KiB story, about 1.7 ms against 2.6 ms at the default level 6
 * for 8.5 KiB against 7.2 KiB, and the first reader of a body waits for it.
 */
const GZIP_LEVEL = 1;

/** Below this many bytes a body goes as it is: compressing would save less than one packet. */
export const COMPRESS_FROM_BYTES = 1024;

/**
 * What a compressed body is reserved in a byte budget, as a share of its JSON: the story JSON this
 * API sends gzips to 10-20% of its size, so a quarter is a safe ceiling for what it will cost.
 */
export const GZIP_RESERVE = 0.25;

/**
 * A JSON response body that never changes once made (a story at a revision, a diff, a revision's
 * detail), ready to send: its UTF-8 bytes, encoded once, and its gzip form, made on the first
 * request that accepts it (off the event loop) and kept. Held by the revision cache, so a body
 * read by many readers is encoded and compressed once, not once per request.
 */
export class JsonBody {
  readonly bytes: Buffer;
  private gzipped: Promise<Buffer> | undefined;

  /** JSON text, or its UTF-8 bytes (taken as they are, not copied). */
  constructor(json: string | Buffer) {
    this.bytes = typeof json === 'string' ? Buffer.from(json, 'utf8') : json;
  }

  get text(): string {
    return this.bytes.toString('utf8');
  }

  /** Worth compressing: long enough to save at least a packet. */
  get compressible(): boolean {
    return this.bytes.length >= COMPRESS_FROM_BYTES;
  }

  /** What a byte budget should count for this body: its bytes and what its gzip form will take. */
  get budgetBytes(): number {
    return this.bytes.length + (this.compressible ? Math.ceil(this.bytes.length * GZIP_RESERVE) : 0);
  }

  gzip(): Promise<Buffer> {
    this.gzipped ??= gzipAsync(this.bytes, { level: GZIP_LEVEL }).catch((error: unknown) => {
      // Not kept: the next request tries again.
      this.gzipped = undefined;
      throw error;
    });
    return this.gzipped;
  }
}

/**
 * Whether an Accept-Encoding header (RFC 9110 12.5.3) lets the response be gzip: `gzip` (or its
 * alias `x-gzip`) or `*` listed with a weight above 0, and gzip not refused by name (`gzip;q=0`
 * wins over `*`). No header means any coding is acceptable, but a client that sends none is
 * usually one that cannot decode any, so it gets the identity.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let named: boolean | undefined;
  let wildcard = false;
  for (const part of header.split(',')) {
    const [rawCoding = '', ...params] = part.split(';');
    const coding = rawCoding.trim().toLowerCase();
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    let weight = 1;
    for (const param of params) {
      const [name = '', value = ''] = param.split('=');
      if (name.trim().toLowerCase() === 'q') weight = Number(value.trim());
    }
    const acceptable = Number.isFinite(weight) && weight > 0;
    if (coding === '*') wildcard = acceptable;
    else named = named === true || acceptable;
  }
  return named ?? wildcard;
}

/**
 * Sends a JSON body with status 200 (headers already set by the caller stay): gzip when the
 * client accepts it and the body is worth it, else as it is. `Vary: Accept-Encoding` on every
 * body that could have gone either way, so a shared cache keeps the two apart. Compressing happens
 * before any header is set, so a failure leaves the response to the error filter untouched.
 * Fastify adds the Content-Length (and sends none of the body to a HEAD).
 */
export async function sendJson(req: FastifyRequest, res: FastifyReply, body: JsonBody): Promise<void> {
  const gzipped = body.compressible && acceptsGzip(req.headers['accept-encoding']) ? await body.gzip() : undefined;
  res.code(200).header('Content-Type', 'application/json; charset=utf-8');
  if (body.compressible) res.header('Vary', 'Accept-Encoding');
  if (gzipped) res.header('Content-Encoding', 'gzip');
  void res.send(gzipped ?? body.bytes);
}

/** 304 Not Modified: the ETag the caller set names the body the client already holds. */
export function sendNotModified(res: FastifyReply): void {
  void res.code(304).header('Vary', 'Accept-Encoding').send();
}
