import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type StoryCommand } from '@newsroom/domain';
import { RequirePermission } from '../../../shared/auth/auth.guard';
import { Idempotency } from '../../../shared/idempotency/idempotency';
import { openApiSchema, parseBody } from '../../../shared/http/parse-body';
import { StoryCommandService } from '../../application/story-command.service';
import { changeContext, storyIdFrom, writeResponse, type WriteResponse } from '../story-write.edge';
import { retractRequest, type RetractRequest } from './retract.request';

function toCommand({ target, reason }: RetractRequest): StoryCommand {
  return target.type === 'development'
    ? { type: 'RetractDevelopment', data: { developmentId: target.id, reason } }
    : { type: 'RetractClaim', data: { claimId: target.id, reason } };
}

@ApiTags('stories: write')
@Controller('stories/:storyId/retractions')
export class RetractController {
  constructor(private readonly commands: StoryCommandService, private readonly idempotency: Idempotency) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('story:correct')
  @ApiOperation({ summary: 'Retract a development or a claim, with the reason (chief).' })
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiBody({ schema: openApiSchema(retractRequest) })
  async retract(@Param('storyId') rawId: string, @Body() body: unknown, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<WriteResponse> {
    return this.idempotency.run(req, res, async () => {
      const storyId = storyIdFrom(rawId);
      const outcome = await this.commands.execute(storyId, toCommand(parseBody(retractRequest, body)), changeContext(req));
      return writeResponse(res, outcome, {});
    });
  }
}
