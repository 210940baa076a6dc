import { HttpException } from '@nestjs/common';
import { DomainError } from '@newsroom/domain';
import { EventStoreError, isPostgresUnavailable } from '@newsroom/event-store';
import { EdgeError, PayloadTooLarge, UnsupportedMediaType } from './edge-errors';
import { StoredProblem } from './stored-problem';

/** RFC 9457 problem details, as every error leaves this API. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly [extension: string]: unknown;
}

export interface ProblemResponse {
  readonly problem: ProblemDetails;
  readonly headers: Readonly<Record<string, string>>;
  /** True when the failure is ours, not the client's: logged with its stack. */
  readonly unexpected: boolean;
}

const domainStatus = { invalid: 400, not_found: 404, conflict: 409 } as const;
const domainTitle = { invalid: 'The request breaks a rule of the story', not_found: 'Not found', conflict: 'The story does not allow this now' } as const;

function typeUri(code: string): string {
  return `/problems/${code.toLowerCase().replaceAll('_', '-')}`;
}

function problem(status: number, code: string, title: string, detail: string, extensions: Readonly<Record<string, unknown>> = {}): ProblemDetails {
  return { type: typeUri(code), title, status, detail, code, ...extensions };
}

/**
 * Errors thrown by body-parser carry `type` and `status` (http-errors). One it passes on from the
 * stream (a gzip body that does not inflate) has a client-error `status` and http-errors' `expose`
 * but no `type`.
 */
function bodyParserError(error: unknown): { type: string; status: number; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status, message, expose } = error as { type?: unknown; status?: unknown; message?: unknown; expose?: unknown };
  if (typeof status !== 'number' || typeof message !== 'string') return undefined;
  if (typeof type === 'string') return { type, status, message };
  if (expose === true && status >= 400 && status < 500) return { type: 'stream.failed', status, message };
  return undefined;
}

/** The single, exhaustive place where an error becomes an HTTP response. */
export function toProblem(error: unknown): ProblemResponse {
  if (error instanceof StoredProblem) {
    return { problem: error.stored.body as ProblemDetails, headers: error.stored.headers, unexpected: false };
  }
  if (error instanceof EdgeError) {
    return { problem: problem(error.status, error.code, error.title, error.message, error.extensions), headers: error.headers, unexpected: false };
  }
  if (error instanceof DomainError) {
    const { path, ...details } = error.details ?? {};
    const extensions = { ...details, ...(typeof path === 'string' ? { errors: [{ path, message: error.message }] } : {}) };
    return {
      problem: problem(domainStatus[error.category], error.code, domainTitle[error.category], error.message, extensions),
      headers: {},
      unexpected: false,
    };
  }
  if (error instanceof EventStoreError && error.code === 'EVENT_STORE_UNAVAILABLE') {
    return { problem: problem(503, 'SERVICE_UNAVAILABLE', 'The event store is unreachable', 'Try again shortly.'), headers: { 'Retry-After': '5' }, unexpected: false };
  }
  // TypeORM's QueryFailedError carries the driver's code and message, so one check serves both.
  if (isPostgresUnavailable(error)) {
    return { problem: problem(503, 'SERVICE_UNAVAILABLE', 'The database is unreachable', 'Try again shortly.'), headers: { 'Retry-After': '5' }, unexpected: false };
  }
  const parser = bodyParserError(error);
  if (parser) {
    if (parser.type === 'entity.too.large') return toProblem(new PayloadTooLarge(parser.message));
    if (parser.type === 'encoding.unsupported' || parser.type === 'charset.unsupported') return toProblem(new UnsupportedMediaType(parser.message));
    if (parser.status >= 400 && parser.status < 500) {
      return { problem: problem(parser.status, 'INVALID_REQUEST', 'The request body could not be read', parser.message), headers: {}, unexpected: false };
    }
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = status === 404 ? 'NOT_FOUND' : status === 400 ? 'INVALID_REQUEST' : `HTTP_${status}`;
    // Nest's own (a route that does not exist: "Cannot GET /x") and Fastify's errors as Nest maps them: their message is the detail.
    return { problem: problem(status, code, error.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'), error.message), headers: {}, unexpected: status >= 500 };
  }
  return {
    problem: problem(500, 'INTERNAL', 'Internal error', 'Something went wrong on our side; it has been logged.'),
    headers: {},
    unexpected: true,
  };
}
