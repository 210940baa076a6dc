import { Body, Controller, HttpCode, Param, Patch, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequirePermission } from '../../../shared/auth/auth.guard';
import { Idempotency } from '../../../shared/idempotency/idempotency';
import { openApiSchema, parseBody } from '../../../shared/http/parse-body';
import { StoryCommandService } from '../../application/story-command.service';
import { changeContext, storyIdFrom, writeResponse, type WriteResponse } from '../story-write.edge';
import { reviseStoryRequest } from './revise-story.request';

@ApiTags('stories: write')
@Controller('stories/:storyId')
export class ReviseStoryController {
  constructor(private readonly commands: StoryCommandService, private readonly idempotency: Idempotency) {}

  @Patch()
  @HttpCode(200)
  @RequirePermission('story:write')
  @ApiOperation({ summary: "Revise the headline and/or summary, with the editor's reason." })
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiBody({ schema: openApiSchema(reviseStoryRequest) })
  async revise(@Param('storyId') rawId: string, @Body() body: unknown, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<WriteResponse> {
    return this.idempotency.run(req, res, async () => {
      const storyId = storyIdFrom(rawId);
      const request = parseBody(reviseStoryRequest, body);
      const outcome = await this.commands.execute(storyId, { type: 'ReviseStory', data: request }, changeContext(req));
      return writeResponse(res, outcome, {});
    });
  }
}
