import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { decodeCursor, type Page, PageDocs } from '../../../shared/http/keyset-cursor';
import { parseQuery } from '../../../shared/http/parse-query';
import { listStories, type StoryListItem } from './list-stories.query';
import { listStoriesRequest, storiesCursor } from './list-stories.request';

@ApiTags('stories: read')
@Controller('stories')
export class ListStoriesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({
    summary: 'List stories, most recently changed first; filter by desk and status, search with q.',
    description:
      'Keyset-paged on (updatedAt, id), newest first. One walk through the pages never repeats a story and never skips one that ' +
      'was not changed during the walk. A story changed during the walk moves to the top of the list, so the walk does not see it ' +
      'again (nor, if it had not reached it yet, at all): a fresh first page shows it. Each item states its own revision. ' +
      "q is web-search syntax (words, \"a phrase\", or, -word) matched in English against headline, summary and developments; " +
      'results keep the same order.',
  })
  @ApiQuery({ name: 'desk', required: false })
  @ApiQuery({ name: 'status', required: false, enum: ['draft', 'published', 'withdrawn'] })
  @ApiQuery({ name: 'q', required: false, description: 'Full-text search (websearch_to_tsquery, English).' })
  @PageDocs()
  @ApiOkResponse({ description: '{ items: [{ id, slug, headline, desk, status, revision, updatedAt }], nextCursor }' })
  async list(@Query() query: unknown): Promise<Page<StoryListItem>> {
    const request = parseQuery(listStoriesRequest, query);
    return listStories(this.dataSource, request, decodeCursor(storiesCursor, request.cursor));
  }
}
