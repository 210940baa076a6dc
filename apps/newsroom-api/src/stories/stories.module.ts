import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JsonLogger } from '../shared/observability/json-logger';
import { Idempotency } from '../shared/idempotency/idempotency';
import { StoryCommandService } from './application/story-command.service';
import { StoryFoldSnapshots } from './application/story-fold-snapshots';
import { StoryStateCache } from './application/story-state.cache';
import { CiteSourceController } from './commands/cite-source/cite-source.http.controller';
import { IssueCorrectionController } from './commands/issue-correction/issue-correction.http.controller';
import { LogDevelopmentController } from './commands/log-development/log-development.http.controller';
import { OpenStoryController } from './commands/open-story/open-story.http.controller';
import { PublishStoryController } from './commands/publish-story/publish-story.http.controller';
import { RetractController } from './commands/retract/retract.http.controller';
import { ReviseStoryController } from './commands/revise-story/revise-story.http.controller';
import { WithdrawStoryController } from './commands/withdraw-story/withdraw-story.http.controller';

const commandControllers = [
  OpenStoryController,
  LogDevelopmentController,
  ReviseStoryController,
  CiteSourceController,
  IssueCorrectionController,
  RetractController,
  PublishStoryController,
  WithdrawStoryController,
];

const applicationProviders = [
  StoryCommandService,
  Idempotency,
  { provide: StoryStateCache, useFactory: () => new StoryStateCache(10_000) },
  { provide: StoryFoldSnapshots, useFactory: (db: DataSource, logger: JsonLogger) => new StoryFoldSnapshots(db, logger), inject: [DataSource, JsonLogger] },
];

@Module({
  controllers: [...commandControllers],
  providers: [...applicationProviders],
})
export class StoriesModule {}
