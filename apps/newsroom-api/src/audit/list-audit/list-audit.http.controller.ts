import { Controller, Get, Query } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { storyEventTypes } from '@newsroom/domain';
import { RequirePermission } from '../../shared/auth/auth.guard';
import { decodeCursor, type Page, PageDocs } from '../../shared/http/keyset-cursor';
import { parseQuery } from '../../shared/http/parse-query';
import { type AuditItem, listAudit } from './list-audit.query';
import { auditCursor, listAuditRequest } from './list-audit.request';

@ApiTags('audit')
@Controller('audit')
export class ListAuditController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiOperation({
    summary: 'Who changed what, when and why, across every story: one row per event, newest first (auditor, chief).',
    description:
      'Filter by editor, event type, story and a recordedAt window (from inclusive, to exclusive). Keyset-paged on ' +
      '(recordedAt, storyId, revision); each row states its story revision (1-based). Rows appear once the projector has ' +
      'reached them: a walk started before the newest events were projected does not include them.',
  })
  @ApiQuery({ name: 'editorId', required: false })
  @ApiQuery({ name: 'eventType', required: false, enum: [...storyEventTypes] })
  @ApiQuery({ name: 'storyId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date-time' }, description: 'Inclusive.' })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date-time' }, description: 'Exclusive.' })
  @PageDocs()
  @ApiForbiddenResponse({ description: 'Editors may not read the audit log.' })
  @ApiOkResponse({ description: '{ items: [{ storyId, revision, eventType, editorId, recordedAt, reason, correlationId }], nextCursor }' })
  async list(@Query() query: unknown): Promise<Page<AuditItem>> {
    const request = parseQuery(listAuditRequest, query);
    return listAudit(this.dataSource, request, decodeCursor(auditCursor, request.cursor));
  }
}
