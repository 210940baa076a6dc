import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { type EventStore } from '@newsroom/event-store';
import { type ProjectionStatus } from '@newsroom/read-models';
import { EVENT_STORE } from '../infrastructure/tokens';
import { Public } from '../shared/auth/auth.guard';
import { ProjectionStatusProbe } from '../shared/observability/projection-status.probe';

type CheckResult = { status: 'up' } | { status: 'down'; error: string };

/** The projection check always reports the lag; only a failed projection makes it `down`. */
type ProjectionsCheck = (
  | { status: 'up' }
  | { status: 'down'; error: string }
) & Partial<{
  projection: string;
  state: ProjectionStatus['status'];
  failedEventId: string | null;
  eventsBehind: number;
  eventsBehindCapped: boolean;
  secondsBehind: number;
}>;

async function check(probe: () => Promise<unknown>): Promise<CheckResult> {
  try {
    await probe();
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: errorMessage(error) };
  }
}

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function checkProjections(read: () => Promise<ProjectionStatus>): Promise<ProjectionsCheck> {
  let status: ProjectionStatus;
  try {
    status = await read();
  } catch (error) {
    return { status: 'down', error: errorMessage(error) };
  }
  const report = {
    projection: status.projection,
    state: status.status,
    eventsBehind: status.eventsBehind,
    eventsBehindCapped: status.eventsBehindCapped,
    secondsBehind: status.secondsBehind,
  };
  if (status.status !== 'failed') return { status: 'up', ...report };
  return {
    status: 'down',
    error: `projection ${status.projection} failed on event ${status.failedEventId ?? 'unknown'}: ${status.error ?? 'no error recorded'}`,
    failedEventId: status.failedEventId,
    ...report,
  };
}

@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly projectionStatus: ProjectionStatusProbe,
  ) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is running (no dependency is checked).' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'PostgreSQL and the event store answer, and the projection has not failed; 503 otherwise. ' +
      'The projection lag (events and seconds behind) is reported but does not make the API unready.',
  })
  async ready(
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<{ status: 'ok' | 'unavailable'; checks: { database: CheckResult; eventStore: CheckResult; projections: ProjectionsCheck } }> {
    const [database, eventStore, projections] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(() => this.eventStore.headPosition()),
      checkProjections(() => this.projectionStatus.read()),
    ]);
    const checks = { database, eventStore, projections };
    const ok = Object.values(checks).every((c) => c.status === 'up');
    if (!ok) {
      res.status(503).header('Retry-After', '5');
    }
    return { status: ok ? 'ok' : 'unavailable', checks };
  }
}
