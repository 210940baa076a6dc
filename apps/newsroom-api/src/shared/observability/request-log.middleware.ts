import type { NextFunction, Request, Response } from 'express';
import { correlationIdOf } from '../http/correlation-id.middleware';
import { type JsonLogger } from './json-logger';
import { type Metrics } from './metrics';

/** One log line and one metrics observation per request, labelled by route pattern (not raw path). */
export function requestLogMiddleware(logger: JsonLogger, metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const route = routePath ? `${req.baseUrl}${routePath}` : 'unmatched';
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method: req.method, route }, seconds);
      logger.info('request', {
        correlationId: correlationIdOf(req),
        method: req.method,
        path: req.originalUrl,
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 1e4) / 10,
      });
    });
    next();
  };
}
