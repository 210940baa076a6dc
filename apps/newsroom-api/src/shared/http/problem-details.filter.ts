import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JsonLogger } from '../observability/json-logger';
import { correlationIdOf } from './correlation-id';
import { toProblem } from './to-problem';

/**
 * What `res.type('application/problem+json')` and a string body gave under Express; Fastify
 * sends the header as it is set.
 */
const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/** Sends `error` as application/problem+json; unexpected errors are logged with their stack. */
export function sendProblem(logger: JsonLogger, req: FastifyRequest, res: FastifyReply, error: unknown): void {
  const { problem, headers, unexpected } = toProblem(error);
  const correlationId = correlationIdOf(req);
  if (unexpected) {
    logger.error('unhandled error', {
      correlationId,
      method: req.method,
      path: req.url,
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
    });
  }
  if (res.sent || res.raw.headersSent) return;
  for (const [name, value] of Object.entries(headers)) res.header(name, value);
  res
    .status(problem.status)
    .header('Content-Type', PROBLEM_JSON)
    .send(JSON.stringify({ ...problem, instance: req.url, correlationId }));
}

/** Every error leaves as application/problem+json; unexpected ones are logged with their stack. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(this.logger, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), error);
  }
}
