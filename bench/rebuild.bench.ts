import path from 'node:path';
import { Client } from 'pg';
import { loadConnectionsFrom } from '../apps/projector/src/rebuild-settings';
import { onCleanup, runBench } from './support/lifecycle';
import { describeMachine, machineInfo } from './support/machine';
import { mib } from './support/process-sampler';
import { measureRebuildFloor } from './support/rebuild-floor';
import { runRebuildProcess } from './support/rebuild-process';
import { fixed, printTable, repoRoot, writeResults } from './support/report';
import { keptDatabaseHint, seededDatabase } from './support/seeded-database';
import { envFlag } from './support/settings';

/**
 * Rebuild: the whole log (by default 1,000,000 events over 10,000 stories, a realistic mix written
 * through the event store) replayed into every read model by the real rebuild process
 * (`node dist/apps/projector/src/rebuild.main.js`, what `npm run projections:rebuild` runs), timed
 * by its own log, its resident memory sampled every 250 ms.
 */

interface TableSize {
  readonly table: string;
  readonly rows: number;
  readonly bytes: number;
}

async function readModelSizes(url: string): Promise<TableSize[]> {
  const client = new Client({ connectionString: url, application_name: 'newsroom-bench-info' });
  await client.connect();
  try {
    const { rows } = await client.query<{ table: string; bytes: string }>(
      `SELECT c.relname AS table, pg_total_relation_size(c.oid)::text AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'read_model' AND c.relkind = 'r'
        ORDER BY pg_total_relation_size(c.oid) DESC`,
    );
    const sizes: TableSize[] = [];
    for (const row of rows) {
      // Names from the catalogue of our own schema, exact counts: estimates are 0 before ANALYZE.
      const counted = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM read_model."${row.table}"`);
      sizes.push({ table: row.table, rows: Number(counted.rows[0]?.n), bytes: Number(row.bytes) });
    }
    return sizes;
  } finally {
    await client.end();
  }
}

runBench('rebuild', async () => {
  const profile = envFlag('BENCH_CPU_PROFILE');
  const profileDir = path.join(repoRoot(), 'bench', 'results', 'profiles');
  const db = await seededDatabase((line) => console.log(line));
  if (db.kept && !db.reused) onCleanup(() => Promise.resolve(console.log(`\n${keptDatabaseHint(db)}`)));
  const machine = await machineInfo(db.url);
  console.log(describeMachine(machine));
  console.log(`log: ${db.log.events.toLocaleString('en')} events, ${db.log.stories.toLocaleString('en')} stories, ${fixed(mib(db.log.bytes), 0)} MiB`);

  console.log('\nrebuilding (the real rebuild process; progress every 2 s)');
  const run = await runRebuildProcess(db.url, { log: (line) => console.log(line), ...(profile ? { cpuProfileDir: profileDir } : {}) });
  const sizes = await readModelSizes(db.url);
  const revisions = sizes.find((s) => s.table === 'story_revisions')?.rows ?? 0;
  const stories = sizes.find((s) => s.table === 'stories')?.rows ?? 0;
  const complete = revisions === db.log.events && stories === db.log.stories;

  printTable(
    'Rebuild of every read model from the log',
    ['events', 'stories', 'rebuild s', 'events/s', 'peak RSS MiB', 'VmHWM MiB', 'rebuild CPU %', 'PG backends CPU %', 'machine CPU %'],
    [
      [
        run.events.toLocaleString('en'),
        db.log.stories.toLocaleString('en'),
        fixed(run.rebuildMs / 1000, 1),
        fixed(run.eventsPerSecond, 0),
        fixed(mib(run.process.peakRssBytes), 0),
        fixed(mib(run.process.highWaterRssBytes), 0),
        fixed(run.process.cpuPercent, 0),
        fixed((100 * run.postgres.cpuMs) / run.rebuildMs, 0),
        fixed(run.machine, 0),
      ],
    ],
  );
  printTable(
    'Read models after the rebuild',
    ['table', 'rows', 'MiB'],
    sizes.map((s) => [s.table, s.rows.toLocaleString('en'), fixed(mib(s.bytes), 1)]),
  );
  const series = run.process.rssSeries;
  const at = (share: number): string => {
    const point = series[Math.min(series.length - 1, Math.floor(share * (series.length - 1)))];
    return point ? `${point[1]} MiB at ${point[0]} s` : '-';
  };
  console.log(`\nrebuild RSS: ${[0.1, 0.25, 0.5, 0.75, 1].map(at).join(', ')} (every 5 s in the JSON)`);
  // PostgreSQL alone doing the rebuild's part with the rows the rebuild wrote (BENCH_FLOOR=0 skips it).
  const connections = loadConnectionsFrom(process.env);
  const floor = process.env.BENCH_FLOOR === '0' ? { skipped: 'BENCH_FLOOR=0' } : await measureRebuildFloor(db.url, run.events, connections);
  if ('measured' in floor) {
    const f = floor.measured;
    printTable(
      "PostgreSQL's floor: the log read and the rebuild's rows loaded from files, indexed and vacuumed, nothing computed in Node",
      ['floor s', 'floor events/s', 'rebuild / floor', 'log read s', 'rows loaded s', 'indexes s', 'vacuum s', 'PG CPU s', 'COPY MiB', 'connections'],
      [
        [
          fixed(f.ms / 1000, 1),
          fixed(f.eventsPerSecond, 0),
          fixed(run.eventsPerSecond / f.eventsPerSecond, 2),
          fixed(f.logReadMs / 1000, 1),
          fixed(f.loadMs / 1000, 1),
          fixed(f.indexMs / 1000, 1),
          fixed(f.vacuumMs / 1000, 1),
          fixed(f.postgresCpuMs / 1000, 1),
          fixed(mib(f.copyBytes), 0),
          String(f.connections),
        ],
      ],
    );
  } else {
    console.log(`\nPostgreSQL's floor: skipped (${floor.skipped})`);
  }
  if (!complete) console.log(`\nWARNING: the read models hold ${revisions} revisions of ${stories} stories; the log has ${db.log.events} events of ${db.log.stories} stories.`);
  const seeded = db.seeded;
  if (seeded) {
    const mix = Object.entries(seeded.mix).sort((a, b) => b[1] - a[1]);
    console.log(`\nevent mix: ${mix.map(([type, n]) => `${type} ${fixed((100 * n) / seeded.events, 1)}%`).join(', ')}`);
  }

  const file = writeResults({
    benchmark: 'rebuild',
    machine,
    settings: { ...db.plan, reusedDatabase: db.reused, cpuProfile: profile },
    results: {
      log: db.log,
      seeding: db.seeded,
      rebuild: run,
      readModels: sizes,
      complete,
      floor,
    },
    notes: [
      'The log is written through the event store (decide, sealEvents, appendToStream with exact expected revisions): real hash chains and metadata.',
      `Seeding interleaves ${db.plan.activeStories} stories at a time in appends of >= ${db.plan.eventsPerAppend} events from ${db.plan.writers} writers; then VACUUM ANALYZE and CHECKPOINT, untimed.`,
      'events/s = events replayed / the rebuild\'s own elapsed time (its "rebuilt" log line: connect, build schema, replay, catch up, swap, drop the old schema).',
      'Peak RSS: the largest VmRSS of the rebuild process over 250 ms samples; VmHWM is the kernel\'s own high-water mark.',
      'PG backends CPU: CPU time of the PostgreSQL server processes serving the rebuild, as a share of one core over the rebuild\'s time.',
      "Floor: after the rebuild, its rows are copied to files on the server; then, timed, PostgreSQL alone reads the log in commit order (to /dev/null) while the rebuild's number of connections COPY the rows into fresh tables, then builds the indexes and vacuums: the rebuild's PostgreSQL work with nothing computed in Node. Skipped for a remote server or without superuser.",
    ],
  });
  console.log(`\nwrote ${file}`);
});
