import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type EventStore } from '@newsroom/event-store';
import { EVENT_STORE } from '../../../infrastructure/tokens';
import { RequirePermission } from '../../../shared/auth/auth.guard';
import { parseQuery } from '../../../shared/http/parse-query';
import { etagOf } from '../../application/if-match';
import { StoryReadDocs, storyIdFrom } from '../story-read.edge';
import { type ChainReport, verifyStory } from './verify-story.handler';
import { verifyStoryRequest } from './verify-story.request';

@ApiTags('audit')
@Controller('stories/:storyId/verify')
export class VerifyStoryController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiOperation({
    summary: "Has any event been tampered with? Recomputes the story's hash chain from the event store (auditor, chief).",
    description:
      'Every revision here is a 1-based story revision (stream revision + 1), like everywhere in this API. Valid: `revision` is the ' +
      'last verified revision and `headHash` its recomputed hash. Not valid: `firstInvalidRevision` is the first revision that does not ' +
      'verify (every earlier one does), `reason` says how (hash_mismatch: the event was altered; prev_hash_mismatch: events were ' +
      'removed or reordered; revision_out_of_order; malformed_envelope), `revision` is how many events the stream holds. The chain ' +
      'alone cannot reveal events cut from the end of a stream: compare headHash with a copy kept elsewhere.',
  })
  @StoryReadDocs({ fromLog: true })
  @ApiForbiddenResponse({ description: 'Editors may not verify.' })
  @ApiOkResponse({ description: '{ valid, revision, headHash, firstInvalidRevision?, reason? }' })
  async verify(@Param('storyId') rawId: string, @Query() query: unknown, @Res({ passthrough: true }) res: Response): Promise<ChainReport> {
    const storyId = storyIdFrom(rawId);
    parseQuery(verifyStoryRequest, query);
    const report = await verifyStory(this.store, storyId);
    res.setHeader('ETag', etagOf(report.revision));
    return report;
  }
}
