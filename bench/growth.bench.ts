import { randomUUID } from 'node:crypto';
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
 * - cold: the first write to each in a fresh process, whose fold cache is empty (it reads and folds
 *   the whole stream), repeated in several fresh processes;
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
  /** Milliseconds of the first write to each story in this fresh process. */
  readonly firstWriteMs: Readonly<Record<string, number>>;
}

interface WarmResult {
  readonly story: string;
  readonly events: number;
  readonly latency: LatencySummary;
}

runBench('growth', async () => {
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
  for (let run = 1; run <= coldRuns; run += 1) {
    await api?.stop();
    client?.close();
    const started = await startApiProcess({ databaseUrl: db.url, tokens });
    onCleanup(() => started.stop());
    api = started;
    client = new HttpClient(started.baseUrl, 1);
    await warmUp(client, warmupWrites);
    // Alternate which story goes first, so neither always pays for the other's leftovers.
    const order = run % 2 === 1 ? stories : [...stories].reverse();
    const firstWriteMs: Record<string, number> = {};
    for (const story of order) firstWriteMs[story.label] = await logDevelopment(client, story.id);
    cold.push({ run, firstWriteMs });
    console.log(`  cold run ${run}: ${stories.map((s) => `${s.label} ${fixed(firstWriteMs[s.label] ?? Number.NaN, 1)} ms`).join(', ')}`);
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
  const coldSummary = stories.map((story) => summarize(cold.map((c) => c.firstWriteMs[story.label] ?? Number.NaN)));
  const [shortWarm, longWarm] = warm;
  const [shortCold, longCold] = coldSummary;
  const ratio = (long: number | undefined, short: number | undefined): string =>
    long === undefined || short === undefined ? '-' : fixed(long / short, 2);

  printTable(
    'Append latency through the API by story length (ms)',
    ['story', 'cold first write (median)', 'cold max', 'warm writes', 'warm p50', 'warm p99', 'warm max'],
    stories.map((story, s) => [
      story.label,
      fixed(coldSummary[s]?.p50Ms ?? Number.NaN, 1),
      fixed(coldSummary[s]?.maxMs ?? Number.NaN, 1),
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
  };
  console.log(`\n${LONG}-event / ${SHORT}-event story: warm p50 x${ratios.warmP50}, warm p99 x${ratios.warmP99}, cold first write x${ratios.coldFirstWrite}`);

  const file = writeResults({
    benchmark: 'growth',
    machine,
    settings: { coldRuns, warmWrites, warmupWrites, maxSeconds, stories: stories.map((s) => s.events) },
    results: { cold, coldSummary: stories.map((s, i) => ({ story: s.label, ...coldSummary[i] })), warm, ratios },
    notes: [
      'Stories are seeded straight into the event store (decide, seal, append in batches of 500), then written through the API child process with If-Match: *, one request at a time.',
      `Each cold run is a fresh API process, warmed with ${warmupWrites} writes to a third story so the JIT and connection pool are warm but its fold cache does not hold the measured stories.`,
      'Warm writes alternate between the two stories in the last process.',
    ],
  });
  console.log(`wrote ${file}`);
});
