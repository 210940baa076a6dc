import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const HEADER = 'x-correlation-id';
const SAFE = /^[A-Za-z0-9._:-]{1,128}$/;
const key = Symbol('correlationId');

type WithCorrelation = Request & { [key]?: string };

/** Takes X-Correlation-Id when it is sane, otherwise makes one, and echoes it on the response. */
export function correlationIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const sent = req.header(HEADER);
  const id = sent && SAFE.test(sent) ? sent : randomUUID();
  (req as WithCorrelation)[key] = id;
  res.setHeader('X-Correlation-Id', id);
  next();
}

export function correlationIdOf(req: Request): string {
  return (req as WithCorrelation)[key] ?? 'unknown';
}
