import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequirePermission } from '../../../shared/auth/auth.guard';
import { Idempotency } from '../../../shared/idempotency/idempotency';
import { openApiSchema, parseBody } from '../../../shared/http/parse-body';
import { ID_GENERATOR, type IdGenerator } from '../../../infrastructure/tokens';
import { StoryCommandService } from '../../application/story-command.service';
import { keyDerivedUuid } from '../../../shared/idempotency/key-derived-id';
import { createContext, writeResponse, type WriteResponse } from '../story-write.edge';
import { openStoryRequest } from './open-story.request';

@ApiTags('stories: write')
@Controller('stories')
export class OpenStoryController {
  constructor(
    private readonly commands: StoryCommandService,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly idempotency: Idempotency,
  ) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('story:write')
  @ApiOperation({ summary: 'Open a new story (draft). Answers its id, revision 1 and Location.' })
  @ApiBody({ schema: openApiSchema(openStoryRequest) })
  @ApiCreatedResponse({ description: 'Opened; Location: /stories/{id}; ETag: "1"' })
  async open(@Body() body: unknown, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<WriteResponse> {
    return this.idempotency.run(req, res, async () => {
      const request = parseBody(openStoryRequest, body);
      const context = createContext(req);
      // With an Idempotency-Key the id is derived from it, so a retry after a crash finds the same story.
      const storyId = context.idempotency ? keyDerivedUuid(context.principal.editorId, context.idempotency.key) : this.ids.next();
      const outcome = await this.commands.execute(storyId, { type: 'OpenStory', data: { storyId, ...request } }, context);
      res.header('Location', `/stories/${storyId}`);
      return writeResponse(res, outcome, {});
    });
  }
}
