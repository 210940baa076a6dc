import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { AppModule, type AppOverrides } from './app.module';
import { type NewsroomConfig } from './config/newsroom-config';
import { correlationIdMiddleware } from './shared/http/correlation-id.middleware';
import { requireJsonMiddleware } from './shared/http/require-json.middleware';
import { JsonLogger } from './shared/observability/json-logger';
import { Metrics } from './shared/observability/metrics';
import { requestLogMiddleware } from './shared/observability/request-log.middleware';

/** Builds the configured HTTP application; shared by main.ts and the e2e tests so both run the same edge. */
export async function createApp(config: NewsroomConfig, overrides: AppOverrides = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config, overrides), {
    bodyParser: false,
    abortOnError: false,
    logger: overrides.logger ?? new JsonLogger('newsroom-api'),
  });
  app.set('etag', false);
  app.set('x-powered-by', false);
  app.enableShutdownHooks();
  app.use(correlationIdMiddleware);
  app.use(requestLogMiddleware(app.get(JsonLogger), app.get(Metrics)));
  app.use(requireJsonMiddleware);
  app.use(express.json({ limit: config.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json'] }));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Newsroom API')
      .setDescription(
        'Editors log every development of a story as an immutable event; readers and auditors ask how the story changed. ' +
          'Errors are application/problem+json (RFC 9457).',
      )
      .setVersion('1')
      .addBearerAuth()
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
