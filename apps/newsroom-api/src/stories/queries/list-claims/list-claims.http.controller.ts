import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { parseQuery } from '../../../shared/http/parse-query';
import { READ_MODEL_REVISION_HEADER, stateRevision, StoryReadDocs, storyIdFrom } from '../story-read.edge';
import { StoryReader } from '../story-reader';
import { type ClaimItem, listClaims } from './list-claims.query';
import { listClaimsRequest } from './list-claims.request';

@ApiTags('stories: read')
@Controller('stories/:storyId/claims')
export class ListClaimsController {
  constructor(private readonly reader: StoryReader) {}

  @Get()
  @ApiOperation({ summary: 'Every claim with its status (reported, confirmed, disputed, retracted), how it got there, and its corrections.' })
  @StoryReadDocs()
  @ApiOkResponse({
    description:
      '{ items: [{ id, text, originalText, status, developmentId, history: [{ status, at, editorId, developmentId, revision, reason }], corrections: [...] }] }',
    headers: { [READ_MODEL_REVISION_HEADER]: { description: 'The latest revision the read model holds for this story.', schema: { type: 'integer' } } },
  })
  async list(@Param('storyId') rawId: string, @Query() query: unknown, @Res({ passthrough: true }) res: FastifyReply): Promise<{ items: ClaimItem[] }> {
    const storyId = storyIdFrom(rawId);
    const { minRevision } = parseQuery(listClaimsRequest, query);
    const { head, value } = await this.reader.read(storyId, minRevision, (db, at) => listClaims(db, at));
    stateRevision(res, head.revision);
    return { items: value };
  }
}
