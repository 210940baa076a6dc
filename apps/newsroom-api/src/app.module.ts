import { randomUUID } from 'node:crypto';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuditModule } from './audit/audit.module';
import { type NewsroomConfig } from './config/newsroom-config';
import { HealthModule } from './health/health.module';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { CLOCK, type Clock, ID_GENERATOR, type IdGenerator, NEWSROOM_CONFIG } from './infrastructure/tokens';
import { AccessTokens } from './shared/auth/access-tokens';
import { AuthGuard } from './shared/auth/auth.guard';
import { ProblemDetailsFilter } from './shared/http/problem-details.filter';
import { IdempotencyStore } from './shared/idempotency/idempotency.store';
import { JsonLogger } from './shared/observability/json-logger';
import { Metrics } from './shared/observability/metrics';
import { MetricsController } from './shared/observability/metrics.controller';
import { StoryQueriesModule } from './stories/queries/story-queries.module';
import { StoriesModule } from './stories/stories.module';

const featureModules = [HealthModule, StoriesModule, StoryQueriesModule, AuditModule];

const systemClock: Clock = { now: () => new Date() };
const uuidGenerator: IdGenerator = { next: () => randomUUID() };

/** Overridable in tests (a fixed clock, predictable ids); the defaults are the real ones. */
export interface AppOverrides {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly logger?: JsonLogger;
}

@Module({})
export class AppModule {
  static forConfig(config: NewsroomConfig, overrides: AppOverrides = {}): DynamicModule {
    const edgeProviders = [
      { provide: AccessTokens, useValue: AccessTokens.parse(config.tokens) },
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      IdempotencyStore,
    ];
    const runtimeProviders = [
      { provide: NEWSROOM_CONFIG, useValue: config },
      { provide: CLOCK, useValue: overrides.clock ?? systemClock },
      { provide: ID_GENERATOR, useValue: overrides.ids ?? uuidGenerator },
      { provide: JsonLogger, useValue: overrides.logger ?? new JsonLogger('newsroom-api') },
      { provide: Metrics, useValue: new Metrics() },
    ];
    return {
      module: AppModule,
      global: true,
      imports: [InfrastructureModule, ...featureModules],
      controllers: [MetricsController],
      providers: [...runtimeProviders, ...edgeProviders],
      exports: [NEWSROOM_CONFIG, CLOCK, ID_GENERATOR, JsonLogger, Metrics, IdempotencyStore],
    };
  }
}
