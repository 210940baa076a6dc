import request from 'supertest';
import { DataSource } from 'typeorm';
import { type EventStore } from '@newsroom/event-store';
import { catchUpProjections } from '@newsroom/read-models';
import { loadConfig } from '../../apps/newsroom-api/src/config/newsroom-config';
import { createApp } from '../../apps/newsroom-api/src/create-app';
import { EVENT_STORE, type Clock } from '../../apps/newsroom-api/src/infrastructure/tokens';
import { JsonLogger } from '../../apps/newsroom-api/src/shared/observability/json-logger';
import { bearer, initApp, type TestApp, TOKEN_SPEC, TOKENS } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

/** A clock the test sets: every event a command writes is recorded at `clock.now()`. */
export class TestClock implements Clock {
  private current: Date;
  constructor(start: string) {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

/**
 * The real application (as `startTestApp`) with a clock the test controls, so "as of 08:15" and
 * "recorded between 08:00 and 09:00" mean exact instants.
 */
export async function startClockedApp(clock: TestClock, env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, NEWSROOM_TOKENS: TOKEN_SPEC, ...env });
  const logs: string[] = [];
  const app = await createApp(config, { clock, logger: new JsonLogger('newsroom-api', (line) => logs.push(line), 'info') });
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

/** How long `catchUp` keeps trying; the spec files that use it raise Jest's timeout above it. */
export const CATCH_UP_WITHIN_MS = 30_000;

/**
 * Projects everything written so far (the tests never depend on the long-running projector), and
 * returns once every story stream is projected to its last revision. One `catchUpProjections`
 * is enough on a quiet server; the loop is for a busy one: the store's gap-safe head stops below
 * the oldest transaction still open on the whole server (transaction ids are cluster-wide), so a
 * long transaction in another test's database can hide our newest events for a while.
 */
export async function catchUp(t: TestApp, withinMs = CATCH_UP_WITHIN_MS): Promise<void> {
  const dataSource = t.app.get(DataSource);
  const deadline = Date.now() + withinMs;
  for (;;) {
    await catchUpProjections(dataSource, t.store);
    const [behind] = await dataSource.query<{ streams: number }[]>(
      `SELECT count(*)::integer AS streams
         FROM event_store.streams s
         LEFT JOIN read_model.stories r ON s.stream_id = 'story-' || r.story_id::text
        WHERE s.stream_id LIKE 'story-%' AND (r.revision IS NULL OR r.revision < s.revision + 1)`,
    );
    if (behind?.streams === 0) return;
    if (Date.now() > deadline) throw new Error(`${behind?.streams} story streams are still not projected after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** GET as a role (the editor unless told otherwise). */
export const read = (t: TestApp, path: string, token: string = TOKENS.editor) => t.http().get(path).set('Authorization', bearer(token));

/** A write with If-Match: * that must succeed; answers the new revision. */
export async function write(t: TestApp, method: 'post' | 'patch', path: string, body: object, token: string = TOKENS.editor): Promise<number> {
  const res = await t.http()[method](path).set('Authorization', bearer(token)).set('If-Match', '*').send(body);
  if (res.status !== 200 && res.status !== 201) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { revision: number }).revision;
}

/** Follows `nextCursor` to the end (from `from.cursor` when given); answers every page's items in order. */
export async function walk<Item>(t: TestApp, path: string, from: { token?: string; cursor?: string } = {}): Promise<{ pages: Item[][] }> {
  const token = from.token ?? TOKENS.editor;
  const pages: Item[][] = [];
  let cursor: string | null = from.cursor ?? null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const res = await read(t, cursor === null ? path : `${path}${separator}cursor=${encodeURIComponent(cursor)}`, token);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    const body = res.body as { items: Item[]; nextCursor: string | null };
    pages.push(body.items);
    cursor = body.nextCursor;
    if (pages.length > 100) throw new Error('more than 100 pages: the cursor does not advance');
  } while (cursor !== null);
  return { pages };
}
