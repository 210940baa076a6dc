import { Client } from 'pg';
import { createPostgresEventStore } from '@newsroom/event-store';
import { runMigrations } from '@newsroom/read-models';
import { createBenchDatabase } from './bench-database';
import { onCleanup } from './lifecycle';
import { type SeedPlan, type SeedResult, seedLog } from './seed-log';
import { envFlag, envInteger } from './settings';

/**
 * The large event log benchmarks 5 and 6 run on. By default a throwaway database, seeded through
 * the event store and dropped at the end. `BENCH_KEEP_DB=1` keeps it (and says how to reuse and
 * drop it); `BENCH_DATABASE_URL` reuses one kept earlier, never seeding or dropping it.
 */
export interface SeededDatabase {
  readonly url: string;
  /** True when BENCH_DATABASE_URL named it: it was neither seeded nor will it be dropped here. */
  readonly reused: boolean;
  readonly kept: boolean;
  readonly plan: SeedPlan;
  /** Null when reused. */
  readonly seeded: SeedResult | null;
  readonly log: LogFacts;
}

export interface LogFacts {
  readonly events: number;
  readonly stories: number;
  /** event_store.events with its indexes and TOAST. */
  readonly bytes: number;
}

export function seedPlanFromEnv(): SeedPlan {
  return {
    events: envInteger('BENCH_EVENTS', 1_000_000),
    stories: envInteger('BENCH_STORIES', 10_000),
    writers: envInteger('BENCH_SEED_WRITERS', 4),
    activeStories: envInteger('BENCH_ACTIVE_STORIES', 64),
    eventsPerAppend: envInteger('BENCH_EVENTS_PER_APPEND', 10),
    seed: envInteger('BENCH_SEED', 1),
  };
}

export async function logFacts(url: string): Promise<LogFacts> {
  const client = new Client({ connectionString: url, application_name: 'newsroom-bench-info' });
  await client.connect();
  try {
    const { rows } = await client.query<{ events: string; stories: string; bytes: string }>(
      `SELECT (SELECT count(*) FROM event_store.events)::text AS events,
              (SELECT count(DISTINCT stream_id) FROM event_store.events)::text AS stories,
              pg_total_relation_size('event_store.events')::text AS bytes`,
    );
    const row = rows[0];
    return { events: Number(row?.events), stories: Number(row?.stories), bytes: Number(row?.bytes) };
  } finally {
    await client.end();
  }
}

/**
 * Freshly written rows carry no hint bits and no visibility map: the first scan would pay for
 * setting them (and write every page again), which a log that autovacuum has seen does not.
 * The checkpoint keeps the seeding's dirty pages out of what comes next.
 */
async function settle(url: string): Promise<void> {
  const client = new Client({ connectionString: url, application_name: 'newsroom-bench-admin' });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE) event_store.events');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

export async function seededDatabase(print: (line: string) => void): Promise<SeededDatabase> {
  const plan = seedPlanFromEnv();
  const reuse = process.env.BENCH_DATABASE_URL;
  if (reuse !== undefined && reuse !== '') {
    // Kept by an older checkout, it may lack a migration since (a no-op when up to date), as
    // `npm run projections:rebuild` does before rebuilding.
    await runMigrations(reuse);
    const log = await logFacts(reuse);
    print(`reusing ${new URL(reuse).pathname.slice(1)}: ${log.events.toLocaleString('en')} events over ${log.stories.toLocaleString('en')} stories (not seeded, not dropped)`);
    return { url: reuse, reused: true, kept: true, plan, seeded: null, log };
  }

  const kept = envFlag('BENCH_KEEP_DB');
  const db = await createBenchDatabase();
  if (!kept) onCleanup(() => db.drop());
  print(
    `seeding ${plan.events.toLocaleString('en')} events over ${plan.stories.toLocaleString('en')} stories into ${db.name} ` +
      `(${plan.writers} writers, ${plan.activeStories} stories at a time, >= ${plan.eventsPerAppend} events per append)`,
  );
  const store = createPostgresEventStore({ url: db.url, poolSize: plan.writers, applicationName: 'newsroom-bench-seed' });
  let seeded: SeedResult;
  try {
    seeded = await seedLog(store, plan, print);
  } finally {
    await store.close();
  }
  print(`seeded ${seeded.events.toLocaleString('en')} events in ${(seeded.ms / 1000).toFixed(1)} s (${Math.round(seeded.eventsPerSecond).toLocaleString('en')} events/s, ${seeded.appends.toLocaleString('en')} appends)`);
  await settle(db.url);
  const log = await logFacts(db.url);
  return { url: db.url, reused: false, kept, plan, seeded, log };
}

/** What to tell the reader when the database outlives the run. */
export function keptDatabaseHint(db: SeededDatabase): string {
  const name = new URL(db.url).pathname.slice(1);
  return [
    `kept the database ${name}. Reuse it:`,
    `  BENCH_DATABASE_URL=${db.url} npm run bench:queries`,
    `Drop it when done:`,
    `  psql "${db.url.replace(`/${name}`, '/postgres')}" -c 'DROP DATABASE ${name} WITH (FORCE)'`,
  ].join('\n');
}
