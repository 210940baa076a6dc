import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { decodeCursor, type Page, PageDocs } from '../../shared/http/keyset-cursor';
import { parseQuery } from '../../shared/http/parse-query';
import { type CorrectionItem, listCorrections } from './list-corrections.query';
import { correctionsCursor, listCorrectionsRequest } from './list-corrections.request';

@ApiTags('stories: read')
@Controller('corrections')
export class ListCorrectionsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({
    summary: 'The corrections ledger: every correction and clarification issued, across stories, newest first.',
    description: 'Keyset-paged on (issuedAt, storyId, revision). Each entry names its story, the revision that issued it (1-based) and what it corrected.',
  })
  @PageDocs()
  @ApiOkResponse({ description: '{ items: [{ storyId, correctionId, revision, target, kind, note, correctedText, issuedAt, editorId }], nextCursor }' })
  async list(@Query() query: unknown): Promise<Page<CorrectionItem>> {
    const request = parseQuery(listCorrectionsRequest, query);
    return listCorrections(this.dataSource, request.limit, decodeCursor(correctionsCursor, request.cursor));
  }
}
