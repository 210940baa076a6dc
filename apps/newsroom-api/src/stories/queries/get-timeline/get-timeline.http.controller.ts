import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { parseQuery } from '../../../shared/http/parse-query';
import { READ_MODEL_REVISION_HEADER, stateRevision, StoryReadDocs, storyIdFrom } from '../story-read.edge';
import { StoryReader } from '../story-reader';
import { getTimeline, type TimelineItem } from './get-timeline.query';
import { getTimelineRequest } from './get-timeline.request';

@ApiTags('stories: read')
@Controller('stories/:storyId/timeline')
export class GetTimelineController {
  constructor(private readonly reader: StoryReader) {}

  @Get()
  @ApiOperation({
    summary: 'The developments in the order they happened (or, with order=recorded, the order they were logged).',
    description:
      'Ordered by occurredAt where the source gave one (an imprecise time such as "Thursday night" sorts at the instant logged for it, ' +
      'its precision and label shown beside it), else by when it was logged; ties in the order logged. Retracted developments are listed with status retracted.',
  })
  @StoryReadDocs()
  @ApiQuery({ name: 'order', required: false, enum: ['occurred', 'recorded'] })
  @ApiOkResponse({
    description: '{ items: [{ developmentId, kind, occurredAt, occurredAtPrecision, occurredAtLabel, recordedAt, text, status, revision }] }',
    headers: { [READ_MODEL_REVISION_HEADER]: { description: 'The latest revision the read model holds for this story.', schema: { type: 'integer' } } },
  })
  async timeline(@Param('storyId') rawId: string, @Query() query: unknown, @Res({ passthrough: true }) res: FastifyReply): Promise<{ items: TimelineItem[] }> {
    const storyId = storyIdFrom(rawId);
    const { order, minRevision } = parseQuery(getTimelineRequest, query);
    const { head, value } = await this.reader.read(storyId, minRevision, (db, at) => getTimeline(db, at, order));
    stateRevision(res, head.revision);
    return { items: value };
  }
}
