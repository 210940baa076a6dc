import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { parseQuery } from '../../../shared/http/parse-query';
import { etagOf } from '../../application/if-match';
import { READ_MODEL_REVISION_HEADER, stateRevision, StoryReadDocs, storyIdFrom } from '../story-read.edge';
import { StoryReader } from '../story-reader';
import { RevisionSnapshots } from '../revision-snapshots';
import { getRevision, type RevisionDetail } from './get-revision.query';
import { getRevisionRequest, revisionFrom } from './get-revision.request';

@ApiTags('stories: read')
@Controller('stories/:storyId/revisions/:revision')
export class GetRevisionController {
  constructor(
    private readonly reader: StoryReader,
    private readonly snapshots: RevisionSnapshots,
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
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RevisionDetail | string> {
    const storyId = storyIdFrom(rawId);
    const revision = revisionFrom(rawRevision);
    const { minRevision } = parseQuery(getRevisionRequest, query);
    // A revision never changes, so its number names this body exactly.
    const etag = etagOf(revision);
    const notModified = req.header('if-none-match') === etag;
    const { head, json } = await this.reader.statement(storyId, minRevision, (db) => getRevision(db, this.snapshots, storyId, revision, !notModified));
    res.setHeader('ETag', etag);
    stateRevision(res, head);
    if (json === null) {
      res.status(304);
      return '';
    }
    res.type('application/json');
    return json;
  }
}
