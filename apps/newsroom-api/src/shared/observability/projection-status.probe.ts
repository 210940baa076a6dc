import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type ProjectionStatus, readProjectionStatus } from '@newsroom/read-models';

/**
 * The story projection's status and lag, read from PostgreSQL when asked (by /health/ready and
 * at every /metrics scrape). Callers that overlap share one read: a scrape asks three gauges at once.
 */
@Injectable()
export class ProjectionStatusProbe {
  private inFlight: Promise<ProjectionStatus> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  read(): Promise<ProjectionStatus> {
    this.inFlight ??= readProjectionStatus(this.dataSource).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }
}
