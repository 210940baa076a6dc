import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequirePermission } from '../../../shared/auth/auth.guard';
import { Idempotency } from '../../../shared/idempotency/idempotency';
import { openApiSchema, parseBody } from '../../../shared/http/parse-body';
import { ID_GENERATOR, type IdGenerator } from '../../../infrastructure/tokens';
import { StoryCommandService } from '../../application/story-command.service';
import { changeContext, idOf, storyIdFrom, writeResponse, type WriteResponse } from '../story-write.edge';
import { citeSourceRequest } from './cite-source.request';

@ApiTags('stories: write')
@Controller('stories/:storyId/sources')
export class CiteSourceController {
  constructor(
    private readonly commands: StoryCommandService,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly idempotency: Idempotency,
  ) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('story:write')
  @ApiOperation({ summary: 'Cite a source; developments then refer to it by sourceId.' })
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiBody({ schema: openApiSchema(citeSourceRequest) })
  async cite(
    @Param('storyId') rawId: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<WriteResponse & { sourceId: string }> {
    return this.idempotency.run(req, res, async () => {
      const storyId = storyIdFrom(rawId);
      const request = parseBody(citeSourceRequest, body);
      const sourceId = this.ids.next();
      const outcome = await this.commands.execute(storyId, { type: 'CiteSource', data: { sourceId, ...request } }, changeContext(req));
      return writeResponse(res, outcome, { sourceId: idOf(outcome, 'SourceCited', 'sourceId') });
    });
  }
}
