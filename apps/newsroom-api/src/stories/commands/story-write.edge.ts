import type { FastifyReply, FastifyRequest } from 'fastify';
import { headerOf } from '../../shared/http/headers';
import { StoryNotFound } from '@newsroom/domain';
import { principalOf } from '../../shared/auth/auth.guard';
import { correlationIdOf } from '../../shared/http/correlation-id';
import { PreconditionRequired } from '../../shared/http/edge-errors';
import { idempotencyOf } from '../../shared/idempotency/request-idempotency';
import { etagOf, parseIfMatch } from '../application/if-match';
import { type CommandContext, type CommandOutcome } from '../application/story-command.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A story id in a path must be a UUID; anything else names no story. */
export function storyIdFrom(raw: string): string {
  if (!UUID.test(raw)) throw new StoryNotFound();
  return raw.toLowerCase();
}

/** Who is acting, under which correlation id, and on which revision: never from the body. */
export function changeContext(req: FastifyRequest): CommandContext {
  const ifMatch = parseIfMatch(headerOf(req, 'if-match'));
  if (ifMatch.kind === 'absent') {
    throw new PreconditionRequired('Changing a story needs If-Match: "<revision>" (from its ETag), or If-Match: * to apply to whatever is current.');
  }
  return withIdempotency(req, { principal: principalOf(req), correlationId: correlationIdOf(req), ifMatch });
}

export function createContext(req: FastifyRequest): CommandContext {
  return withIdempotency(req, { principal: principalOf(req), correlationId: correlationIdOf(req), ifMatch: { kind: 'absent' } });
}

function withIdempotency(req: FastifyRequest, context: CommandContext): CommandContext {
  const idempotency = idempotencyOf(req);
  return idempotency ? { ...context, idempotency } : context;
}

export interface WriteResponse {
  readonly storyId: string;
  readonly revision: number;
}

/** Every successful write answers the story id and revision, with the revision as ETag. */
export function writeResponse<Extra extends object>(res: FastifyReply, outcome: CommandOutcome, extra: Extra): WriteResponse & Extra {
  res.header('ETag', etagOf(outcome.revision));
  return { storyId: outcome.storyId, revision: outcome.revision, ...extra };
}

/**
 * The ids the written events carry, in the order they were decided. Responses take ids from the
 * events, not from the request's freshly minted ones, so a recovered retry answers the originals.
 */
export function idsOf(outcome: CommandOutcome, type: string, field: string): string[] {
  return outcome.events.filter((e) => e.type === type).map((e) => String((e.data as unknown as Record<string, unknown>)[field]));
}

export function idOf(outcome: CommandOutcome, type: string, field: string): string {
  const [id] = idsOf(outcome, type, field);
  if (id === undefined) throw new Error(`The command wrote no ${type}`);
  return id;
}
