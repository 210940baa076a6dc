import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { headerOf } from '../../../shared/http/headers';
import { sendJson, sendNotModified } from '../../../shared/http/json-body';
import { parseQuery } from '../../../shared/http/parse-query';
import { etagOf } from '../../application/if-match';
import { READ_MODEL_REVISION_HEADER, stateRevision, StoryReadDocs, storyIdFrom } from '../story-read.edge';
import { RevisionCache } from '../revision-cache';
import { RevisionSnapshots } from '../revision-snapshots';
import { StoryReader } from '../story-reader';
import { getRevision } from './get-revision.query';
import { getRevisionRequest, revisionFrom } from './get-revision.request';

@ApiTags('stories: read')
@Controller('stories/:storyId/revisions/:revision')
export class GetRevisionController {
  constructor(
    private readonly reader: StoryReader,
    private readonly snapshots: RevisionSnapshots,
    private readonly cache: RevisionCache,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'One revision: who made it, when, why (reason, correlation id), what it changed, and the story exactly as it stood after it.',
  })
  @StoryReadDocs()
  @ApiParam({ name: 'revision', schema: { type: 'integer', minimum: 1 }, description: '1-based story revision.' })
  @ApiNotFoundResponse({ description: 'No such story, or no such revision (REVISION_NOT_FOUND).' })
  @ApiOkResponse({
    description: '{ revision, eventId, eventType, recordedAt, editorId, reason, correlationId, causationId, summary, changes, snapshot }',
    headers: {
      ETag: { description: 'The revision, quoted ("7"): it never changes, so If-None-Match with it answers 304 Not Modified.', schema: { type: 'string' } },
      [READ_MODEL_REVISION_HEADER]: { description: 'The latest revision the read model holds for this story.', schema: { type: 'integer' } },
    },
  })
  @ApiResponse({ status: 304, description: 'If-None-Match named this revision: the body you hold is still exact.' })
  async get(
    @Param('storyId') rawId: string,
    @Param('revision') rawRevision: string,
    @Query() query: unknown,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const storyId = storyIdFrom(rawId);
    const revision = revisionFrom(rawRevision);
    const { minRevision } = parseQuery(getRevisionRequest, query);
    // A revision never changes, so its number names this body exactly.
    const etag = etagOf(revision);
    const notModified = headerOf(req, 'if-none-match') === etag;
    const { head, body } = await this.reader.statement(storyId, minRevision, (db) => getRevision(db, this.snapshots, this.cache, storyId, revision, !notModified));
    res.header('ETag', etag);
    stateRevision(res, head);
    return body === null ? sendNotModified(res) : sendJson(req, res, body);
  }
}
