import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { correlationIdOf } from '../http/correlation-id';
import { type JsonLogger } from './json-logger';
import { type Metrics } from './metrics';

const started = Symbol('requestStarted');
type WithStart = FastifyRequest & { [started]?: bigint };

export interface RequestLogHooks {
  /** Call as the request arrives: its duration is measured from here. */
  readonly start: (req: FastifyRequest) => void;
  readonly onResponse: (req: FastifyRequest, res: FastifyReply, done: HookHandlerDoneFunction) => void;
  /** Logs and counts a request answered outside the hooks (Fastify's framework errors). */
  readonly record: (req: FastifyRequest, res: FastifyReply) => void;
}

/**
 * One log line and one metrics observation per request, labelled by route pattern (not raw path):
 * the pattern Fastify matched (`/stories/:storyId/corrections`), `unmatched` for the 404 handler.
 */
export function requestLogHooks(logger: JsonLogger, metrics: Metrics): RequestLogHooks {
  const record = (req: FastifyRequest, res: FastifyReply): void => {
    const since = (req as WithStart)[started] ?? process.hrtime.bigint();
    const seconds = Number(process.hrtime.bigint() - since) / 1e9;
    const route = req.is404 ? 'unmatched' : (req.routeOptions.url ?? 'unmatched');
    metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    metrics.httpDuration.observe({ method: req.method, route }, seconds);
    logger.info('request', {
      correlationId: correlationIdOf(req),
      method: req.method,
      path: req.url,
      route,
      status: res.statusCode,
      ms: Math.round(seconds * 1e4) / 10,
    });
  };
  return {
    start(req) {
      (req as WithStart)[started] = process.hrtime.bigint();
    },
    onResponse(req, res, done) {
      record(req, res);
      done();
    },
    record,
  };
}
