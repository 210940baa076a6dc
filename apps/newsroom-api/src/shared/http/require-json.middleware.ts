import type { NextFunction, Request, Response } from 'express';
import { UnsupportedMediaType } from './edge-errors';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

function hasBody(req: Request): boolean {
  const length = req.header('content-length');
  return req.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/** Writes carry JSON or nothing at all; anything else is refused before it is parsed. */
export function requireJsonMiddleware(req: Request, _res: Response, next: NextFunction): void {
  if (WRITE_METHODS.has(req.method) && hasBody(req)) {
    const type = req.header('content-type') ?? '';
    if (!/^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(type)) {
      next(new UnsupportedMediaType(`Content-Type must be application/json, got "${type || 'none'}".`));
      return;
    }
  }
  next();
}
