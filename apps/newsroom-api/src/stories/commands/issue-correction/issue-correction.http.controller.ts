import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequirePermission } from '../../../shared/auth/auth.guard';
import { Idempotency } from '../../../shared/idempotency/idempotency';
import { openApiSchema, parseBody } from '../../../shared/http/parse-body';
import { ID_GENERATOR, type IdGenerator } from '../../../infrastructure/tokens';
import { StoryCommandService } from '../../application/story-command.service';
import { changeContext, idOf, storyIdFrom, writeResponse, type WriteResponse } from '../story-write.edge';
import { issueCorrectionRequest } from './issue-correction.request';

@ApiTags('stories: write')
@Controller('stories/:storyId/corrections')
export class IssueCorrectionController {
  constructor(
    private readonly commands: StoryCommandService,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly idempotency: Idempotency,
  ) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('story:correct')
  @ApiOperation({ summary: 'Issue a public correction or clarification of a development, a claim, the headline or the summary (chief).' })
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiBody({ schema: openApiSchema(issueCorrectionRequest) })
  async correct(
    @Param('storyId') rawId: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<WriteResponse & { correctionId: string }> {
    return this.idempotency.run(req, res, async () => {
      const storyId = storyIdFrom(rawId);
      const request = parseBody(issueCorrectionRequest, body);
      const correctionId = this.ids.next();
      const outcome = await this.commands.execute(storyId, { type: 'IssueCorrection', data: { correctionId, ...request } }, changeContext(req));
      return writeResponse(res, outcome, { correctionId: idOf(outcome, 'CorrectionIssued', 'correctionId') });
    });
  }
}
