import type { Request } from 'express';

/** The Idempotency-Key a request holds, and whether an earlier holder of it may already have written. */
export interface RequestIdempotency {
  readonly key: string;
  readonly recovering: boolean;
}

const slot = Symbol('idempotency');
type WithIdempotency = Request & { [slot]?: RequestIdempotency };

export function attachIdempotency(req: Request, idempotency: RequestIdempotency): void {
  (req as WithIdempotency)[slot] = idempotency;
}

export function idempotencyOf(req: Request): RequestIdempotency | undefined {
  return (req as WithIdempotency)[slot];
}
