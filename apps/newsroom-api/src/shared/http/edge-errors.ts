/**
 * Failures that belong to the HTTP edge (not to the story's rules). Each has a stable code and
 * its status; the problem-details mapping turns them into RFC 9457 responses in one place.
 */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export abstract class EdgeError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  abstract readonly title: string;
  /** Extra members for the problem body (e.g. the current revision on 412). */
  readonly extensions: Readonly<Record<string, unknown>> = {};
  /** Extra response headers (e.g. Retry-After, WWW-Authenticate). */
  readonly headers: Readonly<Record<string, string>> = {};
}

export class InvalidRequest extends EdgeError {
  readonly code = 'INVALID_REQUEST';
  readonly status = 400;
  readonly title = 'The request is not valid';
  override readonly extensions: { errors: readonly FieldError[] };
  constructor(errors: readonly FieldError[], detail?: string) {
    super(detail ?? (errors.length === 1 && errors[0] ? `${errors[0].path || 'body'}: ${errors[0].message}` : `${errors.length} fields are not valid`));
    this.extensions = { errors };
  }
}

export class Unauthenticated extends EdgeError {
  readonly code = 'UNAUTHENTICATED';
  readonly status = 401;
  readonly title = 'Authentication required';
  override readonly headers = { 'WWW-Authenticate': 'Bearer realm="newsroom"' };
}

export class Forbidden extends EdgeError {
  readonly code = 'FORBIDDEN';
  readonly status = 403;
  readonly title = 'This role may not do that';
}

export class RouteNotFound extends EdgeError {
  readonly code = 'NOT_FOUND';
  readonly status = 404;
  readonly title = 'Not found';
}

export class MethodNotAllowed extends EdgeError {
  readonly code = 'METHOD_NOT_ALLOWED';
  readonly status = 405;
  readonly title = 'Method not allowed';
}

export class PreconditionFailed extends EdgeError {
  readonly code = 'PRECONDITION_FAILED';
  readonly status = 412;
  readonly title = 'The story has changed since you read it';
  override readonly extensions: { currentRevision: number };
  constructor(currentRevision: number, expected: string) {
    super(`If-Match was ${expected} but the story is at revision ${currentRevision}; reload it and try again.`);
    this.extensions = { currentRevision };
  }
}

export class PayloadTooLarge extends EdgeError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly status = 413;
  readonly title = 'The request body is too large';
}

export class UnsupportedMediaType extends EdgeError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly status = 415;
  readonly title = 'The request body must be JSON';
}

export class IdempotencyKeyReused extends EdgeError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly status = 422;
  readonly title = 'This Idempotency-Key was used with a different request';
}

export class IdempotencyKeyInProgress extends EdgeError {
  readonly code = 'IDEMPOTENCY_KEY_IN_PROGRESS';
  readonly status = 409;
  readonly title = 'A request with this Idempotency-Key is still being processed';
  override readonly headers = { 'Retry-After': '1' };
}

export class PreconditionRequired extends EdgeError {
  readonly code = 'PRECONDITION_REQUIRED';
  readonly status = 428;
  readonly title = 'If-Match is required';
}

export class ServiceUnavailable extends EdgeError {
  readonly code = 'SERVICE_UNAVAILABLE';
  readonly status = 503;
  readonly title = 'The service is temporarily unavailable';
  override readonly headers: Record<string, string>;
  constructor(detail: string, retryAfterSeconds = 5) {
    super(detail);
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}

// ---- the read side ---------------------------------------------------------------------

/** A query parameter (or cursor) is not valid: each problem names its parameter as `query.<name>`. */
export class InvalidQuery extends EdgeError {
  readonly code = 'INVALID_QUERY';
  readonly status = 400;
  readonly title = 'A query parameter is not valid';
  override readonly extensions: { errors: readonly FieldError[] };
  constructor(errors: readonly FieldError[], detail?: string) {
    super(detail ?? (errors.length === 1 && errors[0] ? `${errors[0].path}: ${errors[0].message}` : `${errors.length} query parameters are not valid`));
    this.extensions = { errors };
  }
}

/** A revision named in the path that the story never had. */
export class RevisionNotFound extends EdgeError {
  readonly code = 'REVISION_NOT_FOUND';
  readonly status = 404;
  readonly title = 'Not found';
}

/** `?asOf=` before the story was opened: it did not exist then. Same code as an unknown story. */
export class StoryNotYetOpened extends EdgeError {
  readonly code = 'STORY_NOT_FOUND';
  readonly status = 404;
  readonly title = 'Not found';
  override readonly extensions: { openedAt: string };
  constructor(asOf: string, openedAt: string) {
    super(`The story did not exist at ${asOf}: it was opened at ${openedAt}.`);
    this.extensions = { openedAt };
  }
}

/** `?minRevision=` was not reached by the read model in time: the write is safe, the projection is behind. */
export class ReadModelBehind extends EdgeError {
  readonly code = 'READ_MODEL_BEHIND';
  readonly status = 503;
  readonly title = 'The read model has not caught up with that revision yet';
  override readonly extensions: { minRevision: number; projectedRevision: number };
  override readonly headers = { 'Retry-After': '1' };
  constructor(minRevision: number, projectedRevision: number, waitedMs: number) {
    super(`Waited ${waitedMs} ms for revision ${minRevision}; the story is projected up to revision ${projectedRevision}. Retry shortly.`);
    this.extensions = { minRevision, projectedRevision };
  }
}
