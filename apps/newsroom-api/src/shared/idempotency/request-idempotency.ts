import type { FastifyRequest } from 'fastify';

/** The Idempotency-Key a request holds, and whether an earlier holder of it may already have written. */
export interface RequestIdempotency {
  readonly key: string;
  readonly recovering: boolean;
}

const slot = Symbol('idempotency');
type WithIdempotency = FastifyRequest & { [slot]?: RequestIdempotency };

export function attachIdempotency(req: FastifyRequest, idempotency: RequestIdempotency): void {
  (req as WithIdempotency)[slot] = idempotency;
}

export function idempotencyOf(req: FastifyRequest): RequestIdempotency | undefined {
  return (req as WithIdempotency)[slot];
}
