import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule, type AppOverrides } from './app.module';
import { type NewsroomConfig } from './config/newsroom-config';
import { assignCorrelationId } from './shared/http/correlation-id';
import { docsRoutes } from './shared/http/docs-responses';
import { anyContentTypeParser, FrameworkErrors, readJsonBody } from './shared/http/json-request-body';
import { nonJsonWrite } from './shared/http/require-json.hook';
import { JsonLogger } from './shared/observability/json-logger';
import { Metrics } from './shared/observability/metrics';
import { requestLogHooks } from './shared/observability/request-log.hooks';

/**
 * Node's own keep-alive timeout (5 s), which the API had under Express: Fastify's default is 72 s,
 * and the response's `Keep-Alive: timeout=` would change with it.
 */
const KEEP_ALIVE_TIMEOUT_MS = 5000;
/** Node's default for a whole request, which Fastify turns off (0). */
const REQUEST_TIMEOUT_MS = 300_000;
/**
 * A path parameter may be as long as a request line allows (Node: 16 KiB of headers): an overlong
 * story id is a 404 STORY_NOT_FOUND from the controller, as before, not Fastify's 414.
 */
const MAX_PARAM_LENGTH = 16 * 1024;

/** Builds the configured HTTP application; shared by main.ts and the e2e tests so both run the same edge. */
export async function createApp(config: NewsroomConfig, overrides: AppOverrides = {}): Promise<INestApplication> {
  const frameworkErrors = new FrameworkErrors();
  const adapter = new FastifyAdapter({
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Routing as Express did it: /stories/ is /stories, and /STORIES too (parameters keep their case).
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: MAX_PARAM_LENGTH },
    // A malformed %-escape in a path parameter: the same problem document as every other error.
    frameworkErrors: frameworkErrors.handle,
    // No Nest middleware here: the edge is Fastify hooks (below), so @fastify/middie is not needed.
    skipMiddie: true,
    // Under Express a request arriving while the server closed was still served.
    return503OnClosing: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forConfig(config, overrides), adapter, {
    bodyParser: false,
    abortOnError: false,
    logger: overrides.logger ?? new JsonLogger('newsroom-api'),
  });
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance();
  // What Express's middleware did, in its order, in one hook (each hook is a step of Fastify's
  // lifecycle per request): correlation id, request log, JSON-only writes (415), the body.
  const log = requestLogHooks(app.get(JsonLogger), app.get(Metrics));
  const readBody = readJsonBody(config.bodyLimitBytes);
  fastify.addHook('onRequest', (req, res, done) => {
    assignCorrelationId(req, res);
    log.start(req);
    const refused = nonJsonWrite(req);
    if (refused) done(refused);
    else readBody(req, res, done);
  });
  fastify.addHook('onResponse', log.onResponse);
  frameworkErrors.attach(fastify, app.get(JsonLogger), log);
  // The body is read by the hook above for every method; Fastify's own parsers (JSON with its
  // own rules, text/plain, 415 for the rest) would answer differently.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', anyContentTypeParser);
  // A request Node cannot parse (a bad request line, headers too large): Node's own bare answer
  // ("400 Bad Request", Connection: close, no body), as under Express, not Fastify's JSON one.
  app.getHttpServer().removeAllListeners('clientError');
  fastify.addHook('onRoute', docsRoutes);

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
