import { applyDecorators } from '@nestjs/common';
import { ApiNotFoundResponse, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { integerParam } from '../../shared/http/parse-query';
import { storyIdFrom } from '../commands/story-write.edge';

/** A story id in a path must be a UUID; anything else names no story (404), as on the write side. */
export { storyIdFrom };

/** The header every read-model story read carries: the story revision the answer reflects. */
export const READ_MODEL_REVISION_HEADER = 'X-Read-Model-Revision';

export function stateRevision(res: FastifyReply, revision: number): void {
  res.header(READ_MODEL_REVISION_HEADER, String(revision));
}

/** `?minRevision=N`: read-your-writes for every story read. */
export const minRevisionParam = integerParam(1, 2_147_483_647).optional();

/**
 * OpenAPI for what every read of one story shares: the id, minRevision, 404, and (for reads of the
 * read model) the 503 when minRevision is not reached in time.
 */
export function StoryReadDocs(options: { fromLog?: boolean } = {}): MethodDecorator {
  const minRevision = options.fromLog
    ? 'Accepted like on every story read, and always met: this answer comes from the event store itself, which is never behind.'
    : 'Read-your-writes: the revision your write answered. The server waits (up to 5 s by default) until the read model holds the story ' +
      'at this revision or later, else answers 503 READ_MODEL_BEHIND with Retry-After.';
  return applyDecorators(
    ApiParam({ name: 'storyId', format: 'uuid', description: 'The story id (a non-UUID id names no story: 404).' }),
    ApiQuery({ name: 'minRevision', required: false, schema: { type: 'integer', minimum: 1 }, description: minRevision }),
    ApiNotFoundResponse({ description: 'No such story (problem+json, STORY_NOT_FOUND).' }),
    ...(options.fromLog ? [] : [ApiResponse({ status: 503, description: 'minRevision not reached in time (READ_MODEL_BEHIND, Retry-After).' })]),
  );
}
