import { createHash } from 'node:crypto';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, type Observable } from 'rxjs';
import { canonicalJson } from '@newsroom/domain';
import { principalOf } from '../auth/auth.guard';
import { IdempotencyKeyInProgress, IdempotencyKeyReused, InvalidRequest } from '../http/edge-errors';
import { StoredProblem } from '../http/stored-problem';
import { toProblem } from '../http/to-problem';
import { Metrics } from '../observability/metrics';
import { IdempotencyStore, type StoredResponse } from './idempotency.store';
import { attachIdempotency } from './request-idempotency';

const KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['etag', 'location'];
const WAIT_FOR_IN_PROGRESS_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Idempotency-Key on writes: the first request with a key runs and its response (success or a
 * client error) is stored; the same key with the same request gets that response again without
 * running anything; the same key with another request gets 422. Our own failures (5xx) release the
 * key so that the client's retry runs again.
 *
 * Bound to the write controllers with @Idempotent(), not globally: a global interceptor puts every
 * read through an rxjs pipeline for nothing (a test checks that every write route has it).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly metrics: Metrics,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const key = req.header('idempotency-key');
    if (key === undefined || !['POST', 'PATCH'].includes(req.method)) return next.handle();
    return from(this.run(req, context.switchToHttp().getResponse<Response>(), key, next));
  }

  private async run(req: Request, res: Response, key: string, next: CallHandler): Promise<unknown> {
    if (!KEY.test(key)) throw new InvalidRequest([{ path: 'header.Idempotency-Key', message: 'must be 1-255 visible ASCII characters' }]);
    const principal = principalOf(req).editorId;
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.path}\n${canonicalJson((req.body as unknown) ?? null)}`)
      .digest('hex');

    const deadline = Date.now() + WAIT_FOR_IN_PROGRESS_MS;
    for (;;) {
      const claim = await this.store.claim(principal, key, requestHash);
      if (claim.outcome === 'claimed') {
        attachIdempotency(req, { key, recovering: claim.recovering });
        break;
      }
      if (claim.outcome === 'mismatch') throw new IdempotencyKeyReused(`Idempotency-Key "${key}" was first used with a different request.`);
      if (claim.outcome === 'replay') {
        this.metrics.idempotentReplays.inc();
        return this.replay(res, claim.response);
      }
      if (Date.now() > deadline) throw new IdempotencyKeyInProgress(`A request with Idempotency-Key "${key}" is still running.`);
      await sleep(25);
    }

    try {
      const body = await new Promise<unknown>((resolve, reject) => {
        next.handle().subscribe({ next: resolve, error: reject });
      });
      const headers = Object.fromEntries(REPLAYED_HEADERS.flatMap((name) => (res.hasHeader(name) ? [[name, String(res.getHeader(name))]] : [])));
      await this.store.complete(principal, key, { status: res.statusCode, headers, body });
      return body;
    } catch (error) {
      const { problem, headers } = toProblem(error);
      if (problem.status >= 500) await this.store.release(principal, key).catch(() => undefined);
      else await this.store.complete(principal, key, { status: problem.status, headers: { ...headers }, body: problem });
      throw error;
    }
  }

  private replay(res: Response, stored: StoredResponse): unknown {
    res.setHeader('Idempotent-Replayed', 'true');
    if (stored.status >= 400) throw new StoredProblem(stored);
    res.status(stored.status);
    for (const [name, value] of Object.entries(stored.headers)) res.setHeader(name, value);
    return stored.body;
  }
}

/** Idempotency-Key support for a controller's writes (POST and PATCH). */
export const Idempotent = (): ClassDecorator & MethodDecorator => UseInterceptors(IdempotencyInterceptor);
