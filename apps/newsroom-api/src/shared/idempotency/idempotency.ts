import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { headerOf, pathOf } from '../http/headers';
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
 * Each write controller runs its handler through `run` (an e2e test sends every write route a
 * key twice). Not a Nest interceptor: that puts each request through an rxjs pipeline and an
 * async-resource binding, a measurable share of a write's CPU, and a global one did so for every
 * read too.
 */
@Injectable()
export class Idempotency {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly metrics: Metrics,
  ) {}

  /** Runs a write's `handler` once per key and request; answers a retry with the stored response. */
  run<T>(req: FastifyRequest, res: FastifyReply, handler: () => Promise<T>): Promise<T> {
    const key = headerOf(req, 'idempotency-key');
    // Only the write controllers call this, so the method needs no check here.
    if (key === undefined) return handler();
    return this.runOnce(req, res, key, handler);
  }

  private async runOnce<T>(req: FastifyRequest, res: FastifyReply, key: string, handler: () => Promise<T>): Promise<T> {
    if (!KEY.test(key)) throw new InvalidRequest([{ path: 'header.Idempotency-Key', message: 'must be 1-255 visible ASCII characters' }]);
    const principal = principalOf(req).editorId;
    const requestHash = createHash('sha256')
      .update(`${req.method} ${pathOf(req)}\n${canonicalJson(req.body ?? null)}`)
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
        // What the first run answered: the same route's T, stored as JSON.
        return this.replay(res, claim.response) as T;
      }
      if (Date.now() > deadline) throw new IdempotencyKeyInProgress(`A request with Idempotency-Key "${key}" is still running.`);
      await sleep(25);
    }

    try {
      const body = await handler();
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

  private replay(res: FastifyReply, stored: StoredResponse): unknown {
    res.header('Idempotent-Replayed', 'true');
    if (stored.status >= 400) throw new StoredProblem(stored);
    res.status(stored.status);
    for (const [name, value] of Object.entries(stored.headers)) res.header(name, value);
    return stored.body;
  }
}

