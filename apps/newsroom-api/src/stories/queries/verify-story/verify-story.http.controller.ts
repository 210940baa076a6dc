import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
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
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiOperation({
    summary: "Has any event been tampered with? Recomputes the story's hash chain from the event store (auditor, chief).",
    description:
      'Every revision here is a 1-based story revision (stream revision + 1), like everywhere in this API. Valid: `revision` is the ' +
      'last verified revision and `headHash` its recomputed hash. Not valid: `firstInvalidRevision` is the first revision that does not ' +
      'verify (every earlier one does), `reason` says how (hash_mismatch: the event was altered; prev_hash_mismatch: events were ' +
      'removed or reordered; revision_out_of_order; malformed_envelope), `revision` is how many events the stream holds. The chain ' +
      "alone cannot reveal events cut from the end of a stream, or a rewrite that recomputed every later hash, so the hashes are also " +
      "compared with the copy the read model kept when it projected them: missing_from_log (the log lacks revisions the read model " +
      'saw, or the whole stream), differs_from_read_model (the log holds another hash). `crossChecked` is how far that copy reached ' +
      '(it may lag the log by the projection lag). A rebuild of the read models from a tampered log erases the copy: keep headHash elsewhere too.',
  })
  @StoryReadDocs({ fromLog: true })
  @ApiForbiddenResponse({ description: 'Editors may not verify.' })
  @ApiOkResponse({ description: '{ valid, revision, headHash, crossChecked } or { valid: false, revision, headHash: null, firstInvalidRevision, reason }' })
  async verify(@Param('storyId') rawId: string, @Query() query: unknown, @Res({ passthrough: true }) res: FastifyReply): Promise<ChainReport> {
    const storyId = storyIdFrom(rawId);
    parseQuery(verifyStoryRequest, query);
    const report = await verifyStory(this.store, this.dataSource, storyId);
    res.header('ETag', etagOf(report.revision));
    return report;
  }
}
