import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { JsonLogger } from '../observability/json-logger';
import { correlationIdOf } from './correlation-id.middleware';
import { toProblem } from './to-problem';

/** Every error leaves as application/problem+json; unexpected ones are logged with their stack. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const { problem, headers, unexpected } = toProblem(error);
    const correlationId = correlationIdOf(req);
    if (unexpected) {
      this.logger.error('unhandled error', {
        correlationId,
        method: req.method,
        path: req.originalUrl,
        error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
      });
    }
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res
      .status(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify({ ...problem, instance: req.originalUrl, correlationId }));
  }
}
