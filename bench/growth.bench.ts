import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { storyStreamId } from '@newsroom/domain';
import { createPostgresEventStore } from '@newsroom/event-store';
import { type ApiProcess, startApiProcess } from './support/api-process';
import { createBenchDatabase } from './support/bench-database';
import { HttpClient } from './support/http-client';
import { LatencyRecorder, type LatencySummary, now, summarize } from './support/latency';
import { onCleanup, runBench } from './support/lifecycle';
import { describeMachine, machineInfo } from './support/machine';
import { benchEditors, developmentRequest, openStoryRequest } from './support/newsroom-payloads';
import { fixed, printTable, writeResults } from './support/report';
import { seedStory } from './support/seed-story';
import { envInteger, envNumber } from './support/settings';

/**
 * Does the cost of a write grow with the story's length? Two stories, of 10 and 10,000 events,
 * seeded straight into the store; then writes through the API (child process) to each:
 * - cold: the first write to each in a fresh process, whose fold cache is empty, repeated in several
 *   fresh processes, alternately without a snapshot of the story's fold (it reads and folds the whole
 *   stream) and with the one the process before saved (it reads the snapshot and the events after it);
 * - warm: the writes after that, in the same process, alternating between the two stories.
 */

const SHORT = 10;
const LONG = 10_000;

interface Story {
  readonly label: string;
  readonly events: number;
  readonly id: string;
}

const { editors, tokens } = benchEditors(1);
const editor = editors[0] as (typeof editors)[number];
const headers = (ifMatch?: string): Record<string, string> => ({
  authorization: `Bearer ${editor.token}`,
  ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }),
});

async function logDevelopment(client: HttpClient, storyId: string): Promise<number> {
  const started = now();
  const res = await client.post(`/stories/${storyId}/developments`, developmentRequest, headers('*'));
  const ms = now() - started;
  if (res.status !== 201) throw new Error(`logging a development answered ${res.status}: ${JSON.stringify(res.body)}`);
  return ms;
}

/** JIT, connection pool and route warm, on a story of its own, so the measured stories stay cold. */
async function warmUp(client: HttpClient, writes: number): Promise<void> {
  const res = await client.post('/stories', openStoryRequest, headers());
  const storyId = (res.body as { storyId?: string }).storyId;
  if (res.status !== 201 || storyId === undefined) throw new Error(`opening the warm-up story answered ${res.status}`);
  for (let i = 0; i < writes; i += 1) await logDevelopment(client, storyId);
}

interface ColdRun {
  readonly run: number;
  /** Whether the long story's fold snapshot was there when this process started. */
  readonly snapshot: boolean;
  /** Milliseconds of the first write to each story in this fresh process. */
  readonly firstWriteMs: Readonly<Record<string, number>>;
}

/** The process before saves the long story's snapshot in the background after its first write: wait for it. */
async function waitForSnapshot(admin: Client, streamId: string): Promise<void> {
  const deadline = now() + 30_000;
  for (;;) {
    const { rows } = await admin.query('SELECT 1 FROM api.story_fold_snapshots WHERE stream_id = $1', [streamId]);
    if (rows.length > 0) return;
    if (now() > deadline) throw new Error(`no snapshot of ${streamId} appeared within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface WarmResult {
  readonly story: string;
  readonly events: number;
  readonly latency: LatencySummary;
}

runBench('growth', async () => {
  /** Fresh processes of each kind: without the long story's snapshot, and with it. */
  const coldRuns = envInteger('BENCH_COLD_RUNS', 3);
  const warmWrites = envInteger('BENCH_WRITES', 500);
  const warmupWrites = envInteger('BENCH_WARMUP_WRITES', 200);
  const maxSeconds = envNumber('BENCH_SECONDS', 30);

  const db = await createBenchDatabase();
  onCleanup(() => db.drop());
  const machine = await machineInfo(db.url);
  console.log(describeMachine(machine));

  const stories: Story[] = [
    { label: `${SHORT} events`, events: SHORT, id: randomUUID() },
    { label: `${LONG.toLocaleString('en')} events`, events: LONG, id: randomUUID() },
  ];
  const seedStarted = now();
  const store = createPostgresEventStore({ url: db.url, poolSize: 2, applicationName: 'newsroom-bench-seed' });
  try {
    for (const story of stories) await seedStory(store, story.id, story.events);
  } finally {
    await store.close();
  }
  console.log(`seeded stories of ${stories.map((s) => s.events).join(' and ')} events in ${fixed((now() - seedStarted) / 1000, 1)} s`);

  const cold: ColdRun[] = [];
  let api: ApiProcess | undefined;
  let client: HttpClient | undefined;
  const admin = new Client({ connectionString: db.url, application_name: 'newsroom-bench-info' });
  await admin.connect();
  onCleanup(() => admin.end());
  const longStream = storyStreamId((stories[1] as Story).id);
  for (let run = 1; run <= 2 * coldRuns; run += 1) {
    await api?.stop();
    client?.close();
    // Odd runs start with no snapshot; even ones with the one the run before saved on its first fold.
    const snapshot = run % 2 === 0;
    if (snapshot) await waitForSnapshot(admin, longStream);
    else await admin.query('DELETE FROM api.story_fold_snapshots');
    const started = await startApiProcess({ databaseUrl: db.url, tokens });
    onCleanup(() => started.stop());
    api = started;
    client = new HttpClient(started.baseUrl, 1);
    await warmUp(client, warmupWrites);
    // Alternate which story goes first, so neither always pays for the other's leftovers.
    const order = Math.ceil(run / 2) % 2 === 1 ? stories : [...stories].reverse();
    const firstWriteMs: Record<string, number> = {};
    for (const story of order) firstWriteMs[story.label] = await logDevelopment(client, story.id);
    cold.push({ run, snapshot, firstWriteMs });
    console.log(
      `  cold run ${run} (${snapshot ? 'with' : 'no'} snapshot): ${stories.map((s) => `${s.label} ${fixed(firstWriteMs[s.label] ?? Number.NaN, 1)} ms`).join(', ')}`,
    );
  }
  if (!client || !api) throw new Error('BENCH_COLD_RUNS must be at least 1');

  // Warm: the same (last) process, its cache now holding both stories.
  const recorders = stories.map(() => new LatencyRecorder());
  const deadline = now() + maxSeconds * 1000;
  for (let i = 0; i < warmWrites && now() < deadline; i += 1) {
    for (const [s, story] of stories.entries()) recorders[s]?.record(await logDevelopment(client, story.id));
  }
  client.close();
  await api.stop();

  const warm: WarmResult[] = stories.map((story, s) => ({ story: story.label, events: story.events, latency: recorders[s]?.summary() ?? summarize([]) }));
  const coldOf = (snapshot: boolean): LatencySummary[] =>
    stories.map((story) => summarize(cold.filter((c) => c.snapshot === snapshot).map((c) => c.firstWriteMs[story.label] ?? Number.NaN)));
  const coldSummary = coldOf(false);
  const coldWithSnapshot = coldOf(true);
  const [shortWarm, longWarm] = warm;
  const [shortCold, longCold] = coldSummary;
  const [shortColdSnapshot, longColdSnapshot] = coldWithSnapshot;
  const ratio = (long: number | undefined, short: number | undefined): string =>
    long === undefined || short === undefined ? '-' : fixed(long / short, 2);

  printTable(
    'Append latency through the API by story length (ms)',
    ['story', 'cold, no snapshot (median)', 'max', 'cold, snapshot (median)', 'max', 'warm writes', 'warm p50', 'warm p99', 'warm max'],
    stories.map((story, s) => [
      story.label,
      fixed(coldSummary[s]?.p50Ms ?? Number.NaN, 1),
      fixed(coldSummary[s]?.maxMs ?? Number.NaN, 1),
      fixed(coldWithSnapshot[s]?.p50Ms ?? Number.NaN, 1),
      fixed(coldWithSnapshot[s]?.maxMs ?? Number.NaN, 1),
      warm[s]?.latency.count ?? 0,
      fixed(warm[s]?.latency.p50Ms ?? Number.NaN, 2),
      fixed(warm[s]?.latency.p99Ms ?? Number.NaN, 2),
      fixed(warm[s]?.latency.maxMs ?? Number.NaN, 2),
    ]),
  );
  const ratios = {
    warmP50: ratio(longWarm?.latency.p50Ms, shortWarm?.latency.p50Ms),
    warmP99: ratio(longWarm?.latency.p99Ms, shortWarm?.latency.p99Ms),
    coldFirstWrite: ratio(longCold?.p50Ms, shortCold?.p50Ms),
    coldFirstWriteWithSnapshot: ratio(longColdSnapshot?.p50Ms, shortColdSnapshot?.p50Ms),
  };
  console.log(
    `\n${LONG}-event / ${SHORT}-event story: warm p50 x${ratios.warmP50}, warm p99 x${ratios.warmP99}, ` +
      `cold first write x${ratios.coldFirstWrite} without a snapshot, x${ratios.coldFirstWriteWithSnapshot} with one`,
  );

  const file = writeResults({
    benchmark: 'growth',
    machine,
    settings: { coldRuns, warmWrites, warmupWrites, maxSeconds, stories: stories.map((s) => s.events) },
    results: {
      cold,
      coldSummary: stories.map((s, i) => ({ story: s.label, ...coldSummary[i] })),
      coldWithSnapshotSummary: stories.map((s, i) => ({ story: s.label, ...coldWithSnapshot[i] })),
      warm,
      ratios,
    },
    notes: [
      'Stories are seeded straight into the event store (decide, seal, append in batches of 500), then written through the API child process with If-Match: *, one request at a time.',
      `Each cold run is a fresh API process, warmed with ${warmupWrites} writes to a third story so the JIT and connection pool are warm but its fold cache does not hold the measured stories.`,
      'Odd cold runs start with api.story_fold_snapshots emptied (the whole stream is read); even ones with the snapshot the run before saved when it first folded the long story.',
      'Warm writes alternate between the two stories in the last process.',
    ],
  });
  console.log(`wrote ${file}`);
});
