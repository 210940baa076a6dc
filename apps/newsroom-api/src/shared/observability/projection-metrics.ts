import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { type ProjectionStatus } from '@newsroom/read-models';
import { JsonLogger } from './json-logger';
import { Metrics } from './metrics';
import { ProjectionStatusProbe } from './projection-status.probe';

const gauges: readonly { name: string; help: string; value: (status: ProjectionStatus) => number }[] = [
  {
    name: 'newsroom_projection_lag_events',
    help: 'Events in the log after the projection checkpoint (counting stops at 100000)',
    value: (s) => s.eventsBehind,
  },
  {
    name: 'newsroom_projection_lag_seconds',
    help: 'Age of the oldest event not yet projected, in seconds (0 when caught up)',
    value: (s) => s.secondsBehind,
  },
  {
    name: 'newsroom_projection_failed',
    help: '1 when the projection stopped on an event it cannot handle (see /health/ready), else 0',
    value: (s) => (s.status === 'failed' ? 1 : 0),
  },
];

/**
 * The projection gauges, computed at scrape time from PostgreSQL (the projector is another
 * process; the database is what both share). When the status cannot be read, the gauges report
 * no sample rather than a stale one.
 */
@Injectable()
export class ProjectionMetrics {
  constructor(metrics: Metrics, probe: ProjectionStatusProbe, logger: JsonLogger) {
    for (const { name, help, value } of gauges) {
      new Gauge({
        name,
        help,
        labelNames: ['projection'] as const,
        registers: [metrics.registry],
        async collect() {
          this.reset();
          try {
            const status = await probe.read();
            this.set({ projection: status.projection }, value(status));
          } catch (error) {
            logger.warn('projection status unavailable for metrics', { metric: name, error: error instanceof Error ? error.message : String(error) });
          }
        },
      });
    }
  }
}
