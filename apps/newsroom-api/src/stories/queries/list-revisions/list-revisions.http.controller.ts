import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { decodeCursor, type Page, PageDocs } from '../../../shared/http/keyset-cursor';
import { parseQuery } from '../../../shared/http/parse-query';
import { READ_MODEL_REVISION_HEADER, stateRevision, StoryReadDocs, storyIdFrom } from '../story-read.edge';
import { StoryReader } from '../story-reader';
import { listRevisions, type RevisionListItem } from './list-revisions.query';
import { listRevisionsRequest, revisionsCursor } from './list-revisions.request';

@ApiTags('stories: read')
@Controller('stories/:storyId/revisions')
export class ListRevisionsController {
  constructor(private readonly reader: StoryReader) {}

  @Get()
  @ApiOperation({
    summary: 'Who changed the story, when and why: one entry per revision, newest first.',
    description: 'Revision n is the story after its n-th event (1-based; revision 1 opened it). Keyset-paged; revisions never change, so pages never shift.',
  })
  @StoryReadDocs()
  @PageDocs()
  @ApiOkResponse({
    description: '{ items: [{ revision, eventType, recordedAt, editorId, reason, summary }], nextCursor }',
    headers: { [READ_MODEL_REVISION_HEADER]: { description: 'The latest revision the read model holds for this story.', schema: { type: 'integer' } } },
  })
  async list(@Param('storyId') rawId: string, @Query() query: unknown, @Res({ passthrough: true }) res: FastifyReply): Promise<Page<RevisionListItem>> {
    const storyId = storyIdFrom(rawId);
    const request = parseQuery(listRevisionsRequest, query);
    const before = decodeCursor(revisionsCursor, request.cursor)?.r;
    const { head, page } = await this.reader.statement(storyId, request.minRevision, (db) => listRevisions(db, storyId, request.limit, before));
    stateRevision(res, head);
    return page;
  }
}
