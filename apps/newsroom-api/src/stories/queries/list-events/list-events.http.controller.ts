import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type EventStore } from '@newsroom/event-store';
import { EVENT_STORE } from '../../../infrastructure/tokens';
import { RequirePermission } from '../../../shared/auth/auth.guard';
import { parseQuery } from '../../../shared/http/parse-query';
import { etagOf } from '../../application/if-match';
import { StoryReadDocs, storyIdFrom } from '../story-read.edge';
import { listStoryEvents, type StoredEventItem } from './list-events.handler';
import { listEventsRequest } from './list-events.request';

@ApiTags('audit')
@Controller('stories/:storyId/events')
export class ListEventsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiOperation({
    summary: 'The raw, immutable events of a story in stream order, from the event store itself (auditor, chief).',
    description:
      '`revision` is the 1-based story revision (stream revision + 1), the numbering of the whole API. Each event carries its metadata ' +
      '(editorId, correlationId, causationId, recordedAt, reason, schemaVersion) and its place in the hash chain (prevHash, hash). ' +
      'ETag is the story revision the answer reflects; minRevision is always met here (the log is never behind).',
  })
  @StoryReadDocs({ fromLog: true })
  @ApiForbiddenResponse({ description: 'Editors may not read the raw log.' })
  @ApiOkResponse({ description: '{ items: [{ revision, eventId, type, data, metadata, recordedAt, storedAt, hash, prevHash }] }' })
  async list(@Param('storyId') rawId: string, @Query() query: unknown, @Res({ passthrough: true }) res: FastifyReply): Promise<{ items: StoredEventItem[] }> {
    const storyId = storyIdFrom(rawId);
    parseQuery(listEventsRequest, query);
    const items = await listStoryEvents(this.store, storyId);
    res.header('ETag', etagOf(items.length));
    return { items };
  }
}
