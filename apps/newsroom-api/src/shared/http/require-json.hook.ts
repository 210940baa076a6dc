import type { FastifyRequest } from 'fastify';
import { UnsupportedMediaType } from './edge-errors';
import { headerOf } from './headers';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

function hasBody(req: FastifyRequest): boolean {
  const length = headerOf(req, 'content-length');
  return headerOf(req, 'transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/**
 * Writes carry JSON or nothing at all; anything else is refused before it is parsed (and before
 * routing: an unknown route with a text body is a 415 too). The refusal, if any.
 */
export function nonJsonWrite(req: FastifyRequest): UnsupportedMediaType | undefined {
  if (WRITE_METHODS.has(req.method) && hasBody(req)) {
    const type = headerOf(req, 'content-type') ?? '';
    if (!/^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(type)) {
      return new UnsupportedMediaType(`Content-Type must be application/json, got "${type || 'none'}".`);
    }
  }
  return undefined;
}
