import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequirePermission } from '../../../shared/auth/auth.guard';
import { Idempotency } from '../../../shared/idempotency/idempotency';
import { openApiSchema, parseBody } from '../../../shared/http/parse-body';
import { StoryCommandService } from '../../application/story-command.service';
import { changeContext, storyIdFrom, writeResponse, type WriteResponse } from '../story-write.edge';
import { withdrawStoryRequest } from './withdraw-story.request';

@ApiTags('stories: write')
@Controller('stories/:storyId/withdraw')
export class WithdrawStoryController {
  constructor(private readonly commands: StoryCommandService, private readonly idempotency: Idempotency) {}

  @Post()
  @HttpCode(200)
  @RequirePermission('story:publish')
  @ApiOperation({ summary: 'Withdraw the story, with the reason (chief). Nothing can be logged to it afterwards.' })
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiBody({ schema: openApiSchema(withdrawStoryRequest) })
  async withdraw(@Param('storyId') rawId: string, @Body() body: unknown, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<WriteResponse> {
    return this.idempotency.run(req, res, async () => {
      const storyId = storyIdFrom(rawId);
      const request = parseBody(withdrawStoryRequest, body);
      const outcome = await this.commands.execute(storyId, { type: 'WithdrawStory', data: request }, changeContext(req));
      return writeResponse(res, outcome, {});
    });
  }
}
