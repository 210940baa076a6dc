import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startApiProcess } from './support/api-process';
import { closedLoop, describeFailures, type LoopResult } from './support/closed-loop';
import { CountingHttpClient } from './support/counting-http';
import { type CpuShares } from './support/cpu';
import { describeLongPauses, GcRecorder, type GcSummary, pauseFiles, readPauses, summarizePauses } from './support/gc-pauses';
import { closedLoopWithCpu } from './support/pg-backends';
import { HttpClient } from './support/http-client';
import { isInterrupted, onCleanup, runBench } from './support/lifecycle';
import { describeMachine, machineInfo } from './support/machine';
import { benchEditors } from './support/newsroom-payloads';
import { runRebuildProcess } from './support/rebuild-process';
import { fixed, printTable, repoRoot, writeResults } from './support/report';
import { keptDatabaseHint, seededDatabase } from './support/seeded-database';
import { cellTiming, envFlag, envInteger } from './support/settings';
import { KEYFRAME_INTERVAL } from '@newsroom/read-models';

/**
 * Story-history reads at size (by default the rebuild benchmark's 1,000,000 events over 10,000
 * stories): 16 concurrent readers over keep-alive HTTP against the built API (child process),
 * each query type on its own for a while, random stories. With BENCH_DATABASE_URL it reads a
 * database kept by `BENCH_KEEP_DB=1 npm run bench:rebuild`; otherwise it seeds one and projects
 * it with the rebuild process (untimed).
 */

/** Revisions between the two ends of a diff. */
const DIFF_SPAN = 20;

interface Target {
  readonly storyId: string;
  readonly head: number;
  /** A revision that is not a keyframe: rebuilt from the keyframe before it plus patches. */
  readonly revision: number;
  readonly diffFrom: number;
  /** When another (non-keyframe) revision was recorded: `asOf` lands exactly on it. */
  readonly asOf: string;
}

const randomInt = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));

function nonKeyframe(head: number): number {
  for (;;) {
    const revision = randomInt(2, head);
    if (revision % KEYFRAME_INTERVAL !== 0) return revision;
  }
}

async function pickTargets(url: string, count: number): Promise<Target[]> {
  const client = new Client({ connectionString: url, application_name: 'newsroom-bench-info' });
  await client.connect();
  try {
    const { rows } = await client.query<{ story_id: string; revision: number }>(
      `SELECT story_id::text AS story_id, revision FROM read_model.stories WHERE revision > $1 ORDER BY random() LIMIT $2`,
      [DIFF_SPAN + 1, count],
    );
    const drafts = rows.map((r) => ({ storyId: r.story_id, head: r.revision, revision: nonKeyframe(r.revision), asOfRevision: nonKeyframe(r.revision) }));
    const recorded = await client.query<{ story_id: string; recorded_at: Date }>(
      `SELECT r.story_id::text AS story_id, r.recorded_at
         FROM unnest($1::uuid[], $2::int[]) AS t(story_id, revision)
         JOIN read_model.story_revisions r ON r.story_id = t.story_id AND r.revision = t.revision`,
      [drafts.map((d) => d.storyId), drafts.map((d) => d.asOfRevision)],
    );
    const at = new Map(recorded.rows.map((r) => [r.story_id, r.recorded_at.toISOString()]));
    return drafts.map((d) => ({
      storyId: d.storyId,
      head: d.head,
      revision: d.revision,
      diffFrom: randomInt(1, d.head - DIFF_SPAN),
      asOf: at.get(d.storyId) ?? new Date().toISOString(),
    }));
  } finally {
    await client.end();
  }
}

/** The read models hold every event of the log (else: project it first). */
async function projected(url: string, events: number): Promise<boolean> {
  const client = new Client({ connectionString: url, application_name: 'newsroom-bench-info' });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM read_model.story_revisions');
    return Number(rows[0]?.n) >= events;
  } finally {
    await client.end();
  }
}

/**
 * Steady state, as autovacuum would leave it: a rebuild swaps in tables that were never vacuumed
 * or analysed, so the first reads of each page would set hint bits (and write the page again) and
 * the planner would have no statistics. Measuring that transient is not the point here.
 */
async function vacuumReadModels(url: string): Promise<number> {
  const client = new Client({ connectionString: url, application_name: 'newsroom-bench-admin' });
  await client.connect();
  const started = Date.now();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'read_model' AND c.relkind = 'r'`,
    );
    // Table names from our own schema's catalogue, quoted.
    for (const { name } of rows) await client.query(`VACUUM (ANALYZE) read_model."${name}"`);
    return Date.now() - started;
  } finally {
    await client.end();
  }
}

const QUERIES: readonly { readonly name: string; readonly path: (t: Target) => string }[] = [
  { name: 'current story', path: (t) => `/stories/${t.storyId}` },
  { name: 'revisions page (20)', path: (t) => `/stories/${t.storyId}/revisions?limit=20` },
  { name: 'one revision (non-keyframe)', path: (t) => `/stories/${t.storyId}/revisions/${t.revision}` },
  { name: `diff (${DIFF_SPAN} apart)`, path: (t) => `/stories/${t.storyId}/diff?from=${t.diffFrom}&to=${t.diffFrom + DIFF_SPAN}` },
  { name: 'asOf', path: (t) => `/stories/${t.storyId}?asOf=${encodeURIComponent(t.asOf)}` },
];

interface QueryResult extends LoopResult {
  readonly query: string;
  /** As sent: compressed when the API compressed it. */
  readonly meanResponseBytes: number;
  readonly cpu: CpuShares;
  /** CPU per successful request of the API process and of its PostgreSQL backends (sampled), in ms. */
  readonly apiCpuMsPerRequest: number | null;
  readonly pgCpuMsPerRequest: number;
  /** GC pauses during the window, in the API process and in this one (the generator, which timestamps the answers). */
  readonly gcPauses: { readonly api: GcSummary; readonly generator: GcSummary };
}

runBench('history-queries', async () => {
  const { seconds, warmupSeconds } = cellTiming(10);
  /** Passed through to the API with the rest of the environment (node:cluster workers). */
  const apiWorkers = envInteger('API_WORKERS', 1);
  const readers = envInteger('BENCH_READERS', 16);
  const targetCount = envInteger('BENCH_TARGETS', 2_000);
  const maxOperations = envInteger('BENCH_MAX_REQUESTS', 1_000_000);
  const only = process.env.BENCH_QUERIES?.split(',').map((q) => q.trim());
  const profile = envFlag('BENCH_CPU_PROFILE');
  /** Accept-Encoding the readers send: none by default (comparable with earlier runs); 'gzip' as a browser or fetch() would. */
  const acceptEncoding = process.env.BENCH_ACCEPT_ENCODING ?? '';
  const profileDir = path.join(repoRoot(), 'bench', 'results', 'profiles');

  const db = await seededDatabase((line) => console.log(line));
  if (db.kept && !db.reused) onCleanup(() => Promise.resolve(console.log(`\n${keptDatabaseHint(db)}`)));
  const machine = await machineInfo(db.url);
  console.log(describeMachine(machine));
  if (!(await projected(db.url, db.log.events))) {
    console.log('projecting the log with the rebuild process (untimed)');
    const run = await runRebuildProcess(db.url);
    console.log(`  projected ${run.events.toLocaleString('en')} events in ${fixed(run.rebuildMs / 1000, 1)} s`);
  }

  const vacuumMs = await vacuumReadModels(db.url);
  console.log(`VACUUM (ANALYZE) of the read models took ${fixed(vacuumMs / 1000, 1)} s (untimed)`);
  const targets = await pickTargets(db.url, targetCount);
  if (targets.length === 0) throw new Error(`no story has more than ${DIFF_SPAN + 1} revisions: seed more events per story`);
  const { editors, tokens } = benchEditors(readers);
  const gcPausesFile = path.join(os.tmpdir(), `newsroom-bench-gc-${randomUUID()}.json`);
  onCleanup(() => Promise.resolve(pauseFiles(gcPausesFile).forEach((file) => rmSync(file, { force: true }))));
  const generatorGc = new GcRecorder();
  const api = await startApiProcess({
    databaseUrl: db.url,
    tokens,
    gcPausesFile,
    logLevel: process.env.BENCH_API_LOG_LEVEL ?? 'info',
    ...(profile ? { cpuProfileDir: profileDir } : {}),
  });
  onCleanup(() => api.stop());
  /** The client that reads the answers: node:http's, or one that counts bodies without allocating per answer (section 6 of docs/PERFORMANCE.md). */
  const httpClient = process.env.BENCH_HTTP_CLIENT ?? 'counting';
  if (httpClient !== 'node' && httpClient !== 'counting') throw new Error(`BENCH_HTTP_CLIENT must be node or counting, got ${httpClient}`);
  /** One GET by reader `worker`, answered with its status and body size, by the client chosen. */
  let getSize: (worker: number, path: string, headers: Readonly<Record<string, string>>) => Promise<{ readonly status: number; readonly bytes: number }>;
  if (httpClient === 'counting') {
    const counting = new CountingHttpClient(api.baseUrl, readers);
    onCleanup(() => Promise.resolve(counting.close()));
    getSize = (worker, path, headers) => counting.get(worker, path, headers);
  } else {
    const client = new HttpClient(api.baseUrl, readers);
    onCleanup(() => Promise.resolve(client.close()));
    getSize = (_worker, path, headers) => client.getSize(path, headers);
  }
  console.log(
    `newsroom-api pid ${api.pid} (API_WORKERS=${apiWorkers}); ${readers} readers over ${targets.length.toLocaleString('en')} random stories ` +
      `(${db.log.events.toLocaleString('en')} events, ${db.log.stories.toLocaleString('en')} stories); ${seconds} s per query after ${warmupSeconds} s warm-up; ` +
      `Accept-Encoding: ${acceptEncoding === '' ? '(none)' : acceptEncoding}; client: ${httpClient}`,
  );

  const results: QueryResult[] = [];
  for (const query of QUERIES) {
    if (isInterrupted()) break;
    if (only && !only.some((name) => query.name.startsWith(name))) continue;
    let bytes = 0;
    const operation = async (worker: number): Promise<string | null> => {
      const target = targets[Math.floor(Math.random() * targets.length)] as Target;
      const editor = editors[worker % editors.length];
      const headers = {
        authorization: `Bearer ${editor?.token ?? ''}`,
        ...(acceptEncoding === '' ? {} : { 'accept-encoding': acceptEncoding }),
      };
      const res = await getSize(worker, query.path(target), headers);
      bytes += res.bytes;
      return res.status === 200 ? null : String(res.status);
    };
    await closedLoop({ workers: readers, durationMs: warmupSeconds * 1000, maxOperations }, operation);
    bytes = 0;
    const windowStart = Date.now();
    const { result, shares, pgCpuMs } = await closedLoopWithCpu(
      db.url,
      { pid: api.pid, applicationPrefix: 'newsroom-api' },
      { workers: readers, durationMs: seconds * 1000, maxOperations },
      operation,
    );
    const windowEnd = Date.now();
    // The API writes its pauses every 200 ms.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const gcPauses = {
      api: summarizePauses(readPauses(gcPausesFile), windowStart, windowEnd),
      generator: summarizePauses(generatorGc.pauses, windowStart, windowEnd),
    };
    const succeeded = Math.max(result.succeeded, 1);
    results.push({
      query: query.name,
      ...result,
      meanResponseBytes: result.operations === 0 ? 0 : bytes / result.operations,
      cpu: shares,
      apiCpuMsPerRequest: shares.serverMs === null ? null : shares.serverMs / succeeded,
      pgCpuMsPerRequest: pgCpuMs / succeeded,
      gcPauses,
    });
    console.log(`  ${query.name}: ${fixed(result.perSecond, 0)}/s, p50 ${fixed(result.latency.p50Ms, 1)} ms, p99 ${fixed(result.latency.p99Ms, 1)} ms`);
  }

  printTable(
    `History queries, ${readers} concurrent readers over HTTP (latency in ms)`,
    ['query', 'req/s', 'p50', 'p95', 'p99', 'max', 'wire KiB', 'API ms/req', 'PG ms/req', 'API CPU %', 'generator %', 'machine %', 'API GC >5ms', 'gen GC >5ms', 'errors'],
    results.map((r) => [
      r.query,
      fixed(r.perSecond, 0),
      fixed(r.latency.p50Ms, 1),
      fixed(r.latency.p95Ms, 1),
      fixed(r.latency.p99Ms, 1),
      fixed(r.latency.maxMs, 1),
      fixed(r.meanResponseBytes / 1024, 1),
      fixed(r.apiCpuMsPerRequest ?? Number.NaN, 2),
      fixed(r.pgCpuMsPerRequest, 2),
      fixed(r.cpu.serverPercent ?? Number.NaN, 0),
      fixed(r.cpu.generatorPercent, 0),
      fixed(r.cpu.machinePercent, 0),
      describeLongPauses(r.gcPauses.api),
      describeLongPauses(r.gcPauses.generator),
      describeFailures(r.failures),
    ]),
  );

  generatorGc.stop();
  console.log('GC >5ms: garbage-collection pauses longer than 5 ms during the window, as "count / longest ms", in the API and in the generator (which timestamps the answers).');
  if (profile) {
    await api.stop();
    console.log(`CPU profile of the API written under ${profileDir}`);
  }
  const file = writeResults({
    benchmark: 'history-queries',
    machine,
    settings: { ...db.plan, apiWorkers, acceptEncoding, httpClient, reusedDatabase: db.reused, log: db.log, readers, targets: targets.length, secondsPerQuery: seconds, warmupSeconds, cpuProfile: profile },
    results,
    notes: [
      `Each query type runs alone: ${readers} closed-loop readers, keep-alive HTTP, each request for a random one of ${targets.length} random stories with more than ${DIFF_SPAN + 1} revisions.`,
      `revisions page: the newest 20. One revision: a random non-keyframe revision (keyframes every ${KEYFRAME_INTERVAL}), rebuilt from its keyframe plus patches.`,
      `diff: revisions ${DIFF_SPAN} apart at a random place. asOf: the instant a random non-keyframe revision was recorded.`,
      'Response bodies are counted as they arrive (compressed when the API compressed them), not decoded or parsed, so the generator takes less of the two cores. Only 200 counts as success.',
      'Before measuring, VACUUM (ANALYZE) of every read-model table (untimed): the steady state autovacuum would reach, not the first reads after a rebuild.',
    ],
  });
  console.log(`\nwrote ${file}`);
});
