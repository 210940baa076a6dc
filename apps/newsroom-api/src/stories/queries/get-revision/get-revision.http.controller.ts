import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { parseQuery } from '../../../shared/http/parse-query';
import { READ_MODEL_REVISION_HEADER, stateRevision, StoryReadDocs, storyIdFrom } from '../story-read.edge';
import { StoryReader } from '../story-reader';
import { getRevision, type RevisionDetail } from './get-revision.query';
import { getRevisionRequest, revisionFrom } from './get-revision.request';

@ApiTags('stories: read')
@Controller('stories/:storyId/revisions/:revision')
export class GetRevisionController {
  constructor(private readonly reader: StoryReader) {}

  @Get()
  @ApiOperation({
    summary: 'One revision: who made it, when, why (reason, correlation id), what it changed, and the story exactly as it stood after it.',
  })
  @StoryReadDocs()
  @ApiParam({ name: 'revision', schema: { type: 'integer', minimum: 1 }, description: '1-based story revision.' })
  @ApiNotFoundResponse({ description: 'No such story, or no such revision (REVISION_NOT_FOUND).' })
  @ApiOkResponse({
    description: '{ revision, eventId, eventType, recordedAt, editorId, reason, correlationId, causationId, summary, changes, snapshot }',
    headers: { [READ_MODEL_REVISION_HEADER]: { description: 'The latest revision the read model holds for this story.', schema: { type: 'integer' } } },
  })
  async get(
    @Param('storyId') rawId: string,
    @Param('revision') rawRevision: string,
    @Query() query: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RevisionDetail> {
    const storyId = storyIdFrom(rawId);
    const revision = revisionFrom(rawRevision);
    const { minRevision } = parseQuery(getRevisionRequest, query);
    const { head, value } = await this.reader.read(storyId, minRevision, (db, at) => getRevision(db, at, revision));
    stateRevision(res, head.revision);
    return value;
  }
}
