import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendJson } from '../../../shared/http/json-body';
import { parseQuery } from '../../../shared/http/parse-query';
import { READ_MODEL_REVISION_HEADER, stateRevision, StoryReadDocs, storyIdFrom } from '../story-read.edge';
import { RevisionCache } from '../revision-cache';
import { RevisionSnapshots } from '../revision-snapshots';
import { StoryReader } from '../story-reader';
import { diffRevisions } from './diff-revisions.query';
import { diffRevisionsRequest } from './diff-revisions.request';

@ApiTags('stories: read')
@Controller('stories/:storyId/diff')
export class DiffRevisionsController {
  constructor(
    private readonly reader: StoryReader,
    private readonly snapshots: RevisionSnapshots,
    private readonly cache: RevisionCache,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'What changed between any two revisions: an RFC 6902 JSON Patch and human-readable lines.',
    description: 'Applying `patch` to the snapshot at `from` gives the snapshot at `to` exactly. `from` may be later than `to` (the patch then undoes).',
  })
  @StoryReadDocs()
  @ApiQuery({ name: 'from', required: true, schema: { type: 'integer', minimum: 1 } })
  @ApiQuery({ name: 'to', required: true, schema: { type: 'integer', minimum: 1 } })
  @ApiBadRequestResponse({ description: 'A missing or malformed revision, or one the story does not have (INVALID_QUERY, path query.from / query.to).' })
  @ApiOkResponse({
    description: '{ from, to, patch, changes }',
    headers: { [READ_MODEL_REVISION_HEADER]: { description: 'The latest revision the read model holds for this story.', schema: { type: 'integer' } } },
  })
  async diff(@Param('storyId') rawId: string, @Query() query: unknown, @Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    const storyId = storyIdFrom(rawId);
    const { from, to, minRevision } = parseQuery(diffRevisionsRequest, query);
    const { head, body } = await this.reader.statement(storyId, minRevision, (db) => diffRevisions(db, this.snapshots, this.cache, storyId, from, to));
    stateRevision(res, head);
    return sendJson(req, res, body);
  }
}
