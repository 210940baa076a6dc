import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequirePermission } from '../../../shared/auth/auth.guard';
import { Idempotency } from '../../../shared/idempotency/idempotency';
import { openApiSchema, parseBody } from '../../../shared/http/parse-body';
import { StoryCommandService } from '../../application/story-command.service';
import { changeContext, storyIdFrom, writeResponse, type WriteResponse } from '../story-write.edge';
import { publishStoryRequest } from './publish-story.request';

@ApiTags('stories: write')
@Controller('stories/:storyId/publish')
export class PublishStoryController {
  constructor(private readonly commands: StoryCommandService, private readonly idempotency: Idempotency) {}

  @Post()
  @HttpCode(200)
  @RequirePermission('story:publish')
  @ApiOperation({ summary: 'Publish the story (chief).' })
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiBody({ schema: openApiSchema(publishStoryRequest), required: false })
  async publish(@Param('storyId') rawId: string, @Body() body: unknown, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<WriteResponse> {
    return this.idempotency.run(req, res, async () => {
      const storyId = storyIdFrom(rawId);
      parseBody(publishStoryRequest, body);
      const outcome = await this.commands.execute(storyId, { type: 'PublishStory', data: {} }, changeContext(req));
      return writeResponse(res, outcome, {});
    });
  }
}
