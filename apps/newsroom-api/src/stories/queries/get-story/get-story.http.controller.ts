import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { headerOf } from '../../../shared/http/headers';
import { sendJson, sendNotModified } from '../../../shared/http/json-body';
import { parseQuery } from '../../../shared/http/parse-query';
import { etagOf } from '../../application/if-match';
import { READ_MODEL_REVISION_HEADER, stateRevision, StoryReadDocs, storyIdFrom } from '../story-read.edge';
import { RevisionSnapshots } from '../revision-snapshots';
import { StoryReader } from '../story-reader';
import { currentStory, storyAsOf } from './get-story.query';
import { getStoryRequest } from './get-story.request';

@ApiTags('stories: read')
@Controller('stories/:storyId')
export class GetStoryController {
  constructor(
    private readonly reader: StoryReader,
    private readonly snapshots: RevisionSnapshots,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The story now, or as it stood at a moment (?asOf=).',
    description:
      'Headline, summary, status and every development, claim, source and correction; a corrected development shows its corrected ' +
      'text, its original text and the correction notes. With asOf (ISO-8601 with a time zone) the story as of its last revision ' +
      'recorded at or before that instant, rebuilt exactly; 404 if the story had not been opened yet. The body states its revision; ' +
      'ETag is that revision (use it as If-Match for a write), X-Read-Model-Revision the latest projected one.',
  })
  @StoryReadDocs()
  @ApiQuery({ name: 'asOf', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiOkResponse({
    description: 'The StorySnapshot.',
    headers: {
      ETag: { description: 'The revision of this snapshot, quoted ("7").', schema: { type: 'string' } },
      [READ_MODEL_REVISION_HEADER]: { description: 'The latest revision the read model holds for this story.', schema: { type: 'integer' } },
    },
  })
  async get(@Param('storyId') rawId: string, @Query() query: unknown, @Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    const storyId = storyIdFrom(rawId);
    const { asOf, minRevision } = parseQuery(getStoryRequest, query);
    if (asOf === undefined) {
      const { revision, body } = await this.reader.statement(storyId, minRevision, (db) => currentStory(db, this.snapshots, storyId));
      res.header('ETag', etagOf(revision));
      stateRevision(res, revision);
      // A revision never changes, so the ETag names the body exactly.
      if (headerOf(req, 'if-none-match') === etagOf(revision)) return sendNotModified(res);
      return sendJson(req, res, body);
    }
    const { head, revision, body } = await this.reader.statement(storyId, minRevision, (db) => storyAsOf(db, this.snapshots, storyId, asOf));
    res.header('ETag', etagOf(revision));
    stateRevision(res, head);
    return sendJson(req, res, body);
  }
}
