import { Module } from '@nestjs/common';
import { ProjectionMetrics } from '../shared/observability/projection-metrics';
import { ProjectionStatusProbe } from '../shared/observability/projection-status.probe';
import { HealthController } from './health.controller';

/** The projection's status feeds both /health/ready and the projection gauges on /metrics. */
const projectionStatusProviders = [ProjectionStatusProbe, ProjectionMetrics];

@Module({ controllers: [HealthController], providers: [...projectionStatusProviders] })
export class HealthModule {}
