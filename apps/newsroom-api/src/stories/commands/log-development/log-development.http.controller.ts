import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type LogDevelopment } from '@newsroom/domain';
import { RequirePermission } from '../../../shared/auth/auth.guard';
import { Idempotency } from '../../../shared/idempotency/idempotency';
import { openApiSchema, parseBody } from '../../../shared/http/parse-body';
import { ID_GENERATOR, type IdGenerator } from '../../../infrastructure/tokens';
import { StoryCommandService } from '../../application/story-command.service';
import { changeContext, idOf, idsOf, storyIdFrom, writeResponse, type WriteResponse } from '../story-write.edge';
import { logDevelopmentRequest, type LogDevelopmentRequest } from './log-development.request';

function toCommand(request: LogDevelopmentRequest, developmentId: string, newId: () => string): LogDevelopment {
  const { occurredAt, occurredAtPrecision, occurredAtLabel, claims, attribution, ...rest } = request;
  return {
    type: 'LogDevelopment',
    data: {
      ...rest,
      developmentId,
      attribution: { ...attribution, anonymous: attribution.anonymous ?? false },
      ...(occurredAt === undefined
        ? {}
        : { occurredAt: { at: occurredAt, precision: occurredAtPrecision ?? 'exact', ...(occurredAtLabel === undefined ? {} : { label: occurredAtLabel }) } }),
      ...(claims === undefined ? {} : { claims: claims.map((c) => ({ claimId: newId(), text: c.text })) }),
    },
  };
}

@ApiTags('stories: write')
@Controller('stories/:storyId/developments')
export class LogDevelopmentController {
  constructor(
    private readonly commands: StoryCommandService,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly idempotency: Idempotency,
  ) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('story:write')
  @ApiOperation({ summary: 'Log a development (report, confirmation, statement, visit, background, update) with its claims.' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The story revision you saw ("7"), or * for whatever is current' })
  @ApiBody({ schema: openApiSchema(logDevelopmentRequest) })
  async log(
    @Param('storyId') rawId: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<WriteResponse & { developmentId: string; claimIds: string[] }> {
    return this.idempotency.run(req, res, async () => {
      const storyId = storyIdFrom(rawId);
      const request = parseBody(logDevelopmentRequest, body);
      const developmentId = this.ids.next();
      const outcome = await this.commands.execute(storyId, toCommand(request, developmentId, () => this.ids.next()), changeContext(req));
      return writeResponse(res, outcome, { developmentId: idOf(outcome, 'DevelopmentLogged', 'developmentId'), claimIds: idsOf(outcome, 'ClaimReported', 'claimId') });
    });
  }
}
