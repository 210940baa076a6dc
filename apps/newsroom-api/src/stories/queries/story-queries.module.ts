import { Module } from '@nestjs/common';
import { DiffRevisionsController } from './diff-revisions/diff-revisions.http.controller';
import { GetRevisionController } from './get-revision/get-revision.http.controller';
import { GetStoryController } from './get-story/get-story.http.controller';
import { GetTimelineController } from './get-timeline/get-timeline.http.controller';
import { ListClaimsController } from './list-claims/list-claims.http.controller';
import { ListEventsController } from './list-events/list-events.http.controller';
import { ListRevisionsController } from './list-revisions/list-revisions.http.controller';
import { ListStoriesController } from './list-stories/list-stories.http.controller';
import { ReadYourWrites } from './read-your-writes';
import { RevisionCache } from './revision-cache';
import { RevisionSnapshots } from './revision-snapshots';
import { StoryReader } from './story-reader';
import { VerifyStoryController } from './verify-story/verify-story.http.controller';

/** Reads of the read model: the story now and at any moment, its revisions, diffs, timeline and claims. */
const readModelControllers = [
  ListStoriesController,
  GetStoryController,
  ListRevisionsController,
  GetRevisionController,
  DiffRevisionsController,
  GetTimelineController,
  ListClaimsController,
];

/** Reads of the event store itself, for auditors: the raw events and the hash-chain check. */
const eventLogControllers = [ListEventsController, VerifyStoryController];

const readProviders = [ReadYourWrites, StoryReader, RevisionCache, RevisionSnapshots];

@Module({
  controllers: [...readModelControllers, ...eventLogControllers],
  providers: [...readProviders],
})
export class StoryQueriesModule {}
