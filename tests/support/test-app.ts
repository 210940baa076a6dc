import { type INestApplication } from '@nestjs/common';
import { type FastifyInstance } from 'fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { type EventStore } from '@newsroom/event-store';
import { AppModule } from '../../apps/newsroom-api/src/app.module';
import { loadConfig, type NewsroomConfig } from '../../apps/newsroom-api/src/config/newsroom-config';
import { createApp } from '../../apps/newsroom-api/src/create-app';
import { EVENT_STORE } from '../../apps/newsroom-api/src/infrastructure/tokens';
import { JsonLogger } from '../../apps/newsroom-api/src/shared/observability/json-logger';
import { createTestDatabase, type TestDatabase } from './test-database';

export const TOKENS = {
  editor: 'editor-token-e2e-0000000001',
  editor2: 'editor-token-e2e-0000000002',
  chief: 'chief-token-e2e-00000000001',
  auditor: 'audit-token-e2e-00000000001',
} as const;

export const TOKEN_SPEC = [
  `${TOKENS.editor}:ed-amira:editor`,
  `${TOKENS.editor2}:ed-james:editor`,
  `${TOKENS.chief}:chief-lina:chief`,
  `${TOKENS.auditor}:aud-omar:auditor`,
].join(',');

export interface TestApp {
  readonly app: INestApplication;
  readonly http: () => TestAgent;
  readonly db: TestDatabase;
  readonly store: EventStore;
  readonly config: NewsroomConfig;
  readonly logs: string[];
  /** Every route Fastify mounted, as "METHOD /path" (HEAD routes of GETs included). */
  readonly routes: readonly string[];
  /** Stops the app; keeps the database unless `drop` is true. */
  close(options?: { drop?: boolean }): Promise<void>;
}

/** The real application (same edge as production) on a database of its own. */
export async function startTestApp(options: { db?: TestDatabase; env?: Record<string, string> } = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const config = loadConfig({ DATABASE_URL: db.url, NEWSROOM_TOKENS: TOKEN_SPEC, ...options.env });
  const logs: string[] = [];
  const app = await createApp(config, { logger: new JsonLogger('newsroom-api', (line) => logs.push(line), 'info') });
  const routes = await initApp(app);
  const server = app.getHttpServer() as Parameters<typeof request>[0];
  return {
    app,
    http: () => request(server),
    db,
    store: app.get<EventStore>(EVENT_STORE),
    config,
    logs,
    routes,
    async close({ drop = true } = {}) {
      await app.close();
      if (drop) await db.drop();
    },
  };
}

/**
 * Initialises the app and waits until Fastify has mounted its routes (supertest talks to the
 * bare HTTP server, which answers only then); returns the routes it mounted.
 */
export async function initApp(app: INestApplication): Promise<string[]> {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const routes: string[] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push(`${method} ${route.url}`);
  });
  await app.init();
  await fastify.ready();
  return routes;
}

export const bearer = (token: string): string => `Bearer ${token}`;

export { AppModule };
