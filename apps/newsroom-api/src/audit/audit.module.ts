import { Module } from '@nestjs/common';
import { ListAuditController } from './list-audit/list-audit.http.controller';
import { ListCorrectionsController } from './list-corrections/list-corrections.http.controller';

/** Reads across stories: the audit log (auditor, chief) and the public corrections ledger. */
const crossStoryControllers = [ListAuditController, ListCorrectionsController];

@Module({
  controllers: [...crossStoryControllers],
})
export class AuditModule {}
