import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { headerOf } from './headers';

const HEADER = 'x-correlation-id';
const SAFE = /^[A-Za-z0-9._:-]{1,128}$/;
const key = Symbol('correlationId');

type WithCorrelation = FastifyRequest & { [key]?: string };

/** Takes X-Correlation-Id when it is sane, otherwise makes one, and echoes it on the response. */
export function assignCorrelationId(req: FastifyRequest, res: FastifyReply): void {
  const sent = headerOf(req, HEADER);
  const id = sent && SAFE.test(sent) ? sent : randomUUID();
  (req as WithCorrelation)[key] = id;
  res.header('X-Correlation-Id', id);
}

export function correlationIdOf(req: FastifyRequest): string {
  return (req as WithCorrelation)[key] ?? 'unknown';
}
