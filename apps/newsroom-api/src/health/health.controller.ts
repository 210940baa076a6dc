import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { type EventStore } from '@newsroom/event-store';
import { EVENT_STORE } from '../infrastructure/tokens';
import { Public } from '../shared/auth/auth.guard';

type CheckResult = { status: 'up' } | { status: 'down'; error: string };

async function check(probe: () => Promise<unknown>): Promise<CheckResult> {
  try {
    await probe();
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  }
}

@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is running (no dependency is checked).' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'PostgreSQL and the event store answer; 503 otherwise.' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ok' | 'unavailable'; checks: Record<string, CheckResult> }> {
    const [database, eventStore] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(() => this.eventStore.headPosition()),
    ]);
    const checks = { database, eventStore };
    const ok = Object.values(checks).every((c) => c.status === 'up');
    if (!ok) {
      res.status(503).setHeader('Retry-After', '5');
    }
    return { status: ok ? 'ok' : 'unavailable', checks };
  }
}
