import path from 'node:path';
import { Client } from 'pg';
import { createPostgresEventStore } from '@newsroom/event-store';
import { createBenchDatabase } from './support/bench-database';
import { describeFailures } from './support/closed-loop';
import { type CpuShares, measureCpu } from './support/cpu';
import { type LatencySummary, now, perSecond, summarize } from './support/latency';
import { isInterrupted, onCleanup, runBench } from './support/lifecycle';
import { describeMachine, machineInfo } from './support/machine';
import { type NodeChild, startNodeChild } from './support/node-child';
import { openStories, pacedAppends, type PacedStory } from './support/paced-appends';
import { sampleBackends } from './support/pg-backends';
import { fixed, printTable, repoRoot, writeResults } from './support/report';
import { envFlag, envInteger, envNumber } from './support/settings';
import { type LagSample, storyRevisions, VISIBILITY_PROBES, type VisibilityProbe, VisibilityPoller } from './support/visibility-poller';

/**
 * Projection lag: how long after an append returns its event is visible in the read models, with
 * the real projector process (`node dist/apps/projector/src/main.js`) following the log. Appends
 * come open-loop at a fixed rate (one event each, to many stories); one connection polls
 * read_model.stories for the stories with events still to show (BENCH_LAG_PROBE=stories, the
 * default) or the projection's checkpoint (=checkpoint); see visibility-poller.ts.
 */

const PROJECTOR_ENTRY = 'apps/projector/src/main.js';

interface RateResult {
  readonly targetPerSecond: number;
  readonly achievedPerSecond: number;
  readonly sustained: boolean;
  readonly scheduled: number;
  readonly committed: number;
  readonly failures: Readonly<Record<string, number>>;
  readonly noIdleStory: number;
  readonly append: LatencySummary;
  readonly startSlip: LatencySummary;
  readonly lag: LatencySummary;
  /** The lag of the events whose appends returned in each second of the window: steady, or stalls? */
  readonly lagBySecond: readonly { readonly second: number; readonly events: number; readonly p50Ms: number; readonly maxMs: number }[];
  /** Measured events still not visible when the drain timed out. */
  readonly neverVisible: number;
  readonly seenBeforeAppendReturned: number;
  readonly polls: number;
  readonly meanPollQueryMs: number;
  readonly cpu: CpuShares;
  /** CPU of the projector's PostgreSQL backends, as a share of one core over the window. */
  readonly projectorBackendsPercent: number;
  /** CPU per event appended in the window (warm-up included), ms: the projector process, and its PostgreSQL backends. */
  readonly projectorMsPerEvent: number;
  readonly projectorBackendsMsPerEvent: number;
  /** CPU of the appends' PostgreSQL backends, and of the poll's, as shares of one core over the window. */
  readonly appendBackendsPercent: number;
  readonly pollBackendPercent: number;
}

function bySecond(samples: readonly LagSample[], windowStart: number): RateResult['lagBySecond'] {
  const buckets = new Map<number, number[]>();
  for (const { committedAt, lagMs } of samples) {
    const second = Math.floor((committedAt - windowStart) / 1000);
    buckets.set(second, [...(buckets.get(second) ?? []), lagMs]);
  }
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([second, lags]) => {
      const summary = summarize(lags);
      return { second, events: summary.count, p50Ms: summary.p50Ms, maxMs: summary.maxMs };
    });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function startProjector(url: string, cpuProfileDir?: string): Promise<NodeChild> {
  let leading = false;
  const child = startNodeChild(PROJECTOR_ENTRY, {
    env: { DATABASE_URL: url, EVENT_STORE: 'postgres' },
    ...(cpuProfileDir === undefined ? {} : { cpuProfileDir }),
    onLine: (line) => {
      if (line.includes('holding the projector lock')) leading = true;
    },
  });
  onCleanup(() => child.stop());
  const deadline = now() + 30_000;
  let exited = false;
  void child.exited.then(() => (exited = true));
  while (!leading) {
    if (exited) throw new Error(`the projector exited during start-up:\n${child.output()}`);
    if (now() > deadline) throw new Error(`the projector did not take its lock within 30 s:\n${child.output()}`);
    await sleep(50);
  }
  return child;
}

/**
 * Starts sampling the CPU of an application's PostgreSQL backends; the function returned stops and
 * gives the CPU ms they used from now on (the backends' totals are since each started, so what
 * they had used before is subtracted).
 */
async function backendCpuFromNow(url: string, applicationPrefix: string): Promise<() => Promise<number>> {
  const backends = await sampleBackends(url, applicationPrefix);
  const before = await backends.sample();
  return async () => (await backends.stop()).cpuMs - before.cpuMs;
}

/**
 * After a window has drained: every story's row in read_model.stories shows exactly the events
 * appended to it. With the checkpoint probe this is what makes "checkpoint passed" mean "visible".
 */
async function checkStoriesShow(client: Client, stories: readonly PacedStory[]): Promise<void> {
  const shown = await storyRevisions(client, stories.map((story) => story.id));
  const behind = stories.filter((story) => shown.get(story.id) !== story.stored);
  if (behind.length > 0) {
    const first = behind[0] as PacedStory;
    throw new Error(`${behind.length} stories' rows do not show what was appended (e.g. ${first.id}: ${shown.get(first.id) ?? 'no row'} instead of ${first.stored})`);
  }
}

async function waitUntil(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = now() + timeoutMs;
  while (!(await done())) {
    if (isInterrupted()) return;
    if (now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(50);
  }
}

runBench('projection-lag', async () => {
  const rates = (process.env.BENCH_RATES ?? '500,2000').split(',').map((r) => Number(r.trim()));
  if (rates.some((r) => !(Number.isFinite(r) && r > 0))) throw new Error(`BENCH_RATES must be positive numbers, got "${process.env.BENCH_RATES}"`);
  const seconds = envNumber('BENCH_SECONDS', 15);
  const warmupSeconds = envNumber('BENCH_WARMUP_SECONDS', 2);
  const storyCount = envInteger('BENCH_LAG_STORIES', 2_000);
  const writers = envInteger('BENCH_WRITERS', 32);
  const pollMs = envNumber('BENCH_POLL_MS', 2);
  const drainSeconds = envNumber('BENCH_DRAIN_SECONDS', 30);
  const probe = (process.env.BENCH_LAG_PROBE ?? 'stories') as VisibilityProbe;
  if (!VISIBILITY_PROBES.includes(probe)) throw new Error(`BENCH_LAG_PROBE must be one of ${VISIBILITY_PROBES.join(', ')}, got "${probe}"`);

  const db = await createBenchDatabase();
  onCleanup(() => db.drop());
  const machine = await machineInfo(db.url);
  console.log(describeMachine(machine));

  const store = createPostgresEventStore({ url: db.url, poolSize: writers, applicationName: 'newsroom-bench-lag-appends' });
  onCleanup(() => store.close());
  const poller = new Client({ connectionString: db.url, application_name: 'newsroom-bench-lag-poll' });
  await poller.connect();
  onCleanup(() => poller.end());

  // BENCH_CPU_PROFILE=1: a V8 profile of the projector in bench/results/profiles (bench/profile-top.ts reads it).
  const projector = await startProjector(db.url, envFlag('BENCH_CPU_PROFILE') ? path.join(repoRoot(), 'bench', 'results', 'profiles') : undefined);
  console.log(`projector pid ${projector.pid}; opening ${storyCount.toLocaleString('en')} stories`);
  const opened = now();
  const stories = await openStories(store, storyCount, writers);
  await waitUntil('the projector to show every opened story', 120_000, async () => {
    const { rows } = await poller.query<{ n: string }>('SELECT count(*)::text AS n FROM read_model.stories');
    return Number(rows[0]?.n) >= storyCount;
  });
  console.log(`opened and projected ${storyCount} stories in ${fixed((now() - opened) / 1000, 1)} s; ${seconds} s per rate after ${warmupSeconds} s warm-up, polling the ${probe === 'checkpoint' ? 'checkpoint' : 'stories'} every ${pollMs} ms`);

  const watcher = new VisibilityPoller(poller, pollMs, probe);
  watcher.start();
  const results: RateResult[] = [];
  for (const rate of rates) {
    if (isInterrupted()) break;
    const pollsBefore = watcher.polls;
    const cpu = measureCpu(projector.pid);
    const projectorBackends = await backendCpuFromNow(db.url, 'newsroom-projector');
    const appendBackends = await backendCpuFromNow(db.url, 'newsroom-bench-lag-appends');
    const pollBackend = await backendCpuFromNow(db.url, 'newsroom-bench-lag-poll');
    const windowStarted = now();
    const run = await pacedAppends(store, stories, {
      ratePerSecond: rate,
      warmupMs: warmupSeconds * 1000,
      windowMs: seconds * 1000,
      onCommitted: (story: PacedStory, position, committedAt, measured) => watcher.expect(story.id, story.stored, position, committedAt, measured),
    });
    const shares = cpu();
    const projectorBackendsMs = await projectorBackends();
    const appendBackendsMs = await appendBackends();
    const pollBackendMs = await pollBackend();
    const backendWindowMs = now() - windowStarted;
    await waitUntil('the read model to show every appended event', drainSeconds * 1000, () => {
      watcher.check();
      return Promise.resolve(watcher.outstanding === 0);
    }).catch((error: unknown) => console.log(`  ${error instanceof Error ? error.message : String(error)}`));
    const neverVisible = watcher.abandon();
    if (neverVisible === 0 && !isInterrupted()) await checkStoriesShow(poller, stories);
    const lags = watcher.takeLags();
    const achieved = perSecond(run.committedInWindow, run.windowMs);
    const result: RateResult = {
      targetPerSecond: rate,
      achievedPerSecond: achieved,
      sustained: achieved >= 0.95 * rate && run.noIdleStory === 0,
      scheduled: run.scheduled,
      committed: run.committed,
      failures: run.failures,
      noIdleStory: run.noIdleStory,
      append: summarize(run.appendMs),
      startSlip: summarize(run.startSlipMs),
      lag: summarize(lags.map((l) => l.lagMs)),
      lagBySecond: bySecond(lags, windowStarted + warmupSeconds * 1000),
      neverVisible,
      seenBeforeAppendReturned: watcher.beforeAppendReturned,
      polls: watcher.polls - pollsBefore,
      meanPollQueryMs: watcher.meanPollMs,
      cpu: shares,
      projectorBackendsPercent: (100 * projectorBackendsMs) / backendWindowMs,
      projectorMsPerEvent: (shares.serverMs ?? Number.NaN) / run.committed,
      projectorBackendsMsPerEvent: projectorBackendsMs / run.committed,
      appendBackendsPercent: (100 * appendBackendsMs) / backendWindowMs,
      pollBackendPercent: (100 * pollBackendMs) / backendWindowMs,
    };
    watcher.beforeAppendReturned = 0;
    results.push(result);
    console.log(
      `  ${rate}/s: achieved ${fixed(achieved, 0)}/s, lag p50 ${fixed(result.lag.p50Ms, 1)} ms p99 ${fixed(result.lag.p99Ms, 1)} ms` +
        (result.sustained ? '' : '  (NOT sustained)'),
    );
    console.log(`    lag p50 by second of the window (ms): ${result.lagBySecond.map((b) => fixed(b.p50Ms, 0)).join(' ')}`);
  }
  await watcher.stop();

  printTable(
    `Projection lag: append returned -> visible in the read models (ms; seen by polling ${probe === 'checkpoint' ? "the projection's checkpoint" : 'read_model.stories'})`,
    ['target/s', 'achieved/s', 'lag p50', 'p95', 'p99', 'max', 'events', 'never seen', 'append p50', 'append p99', 'errors'],
    results.map((r) => [
      r.targetPerSecond,
      fixed(r.achievedPerSecond, 0) + (r.sustained ? '' : ' (!)'),
      fixed(r.lag.p50Ms, 1),
      fixed(r.lag.p95Ms, 1),
      fixed(r.lag.p99Ms, 1),
      fixed(r.lag.maxMs, 1),
      r.lag.count,
      r.neverVisible,
      fixed(r.append.p50Ms, 1),
      fixed(r.append.p99Ms, 1),
      describeFailures({ ...r.failures, ...(r.noIdleStory > 0 ? { 'no idle story': r.noIdleStory } : {}) }),
    ]),
  );
  printTable(
    'CPU during each window (% of one core; the machine has all cores)',
    ['target/s', 'projector', 'its PG backends', 'generator', "appends' PG", "poll's PG", 'machine', 'projector ms/event', 'PG ms/event'],
    results.map((r) => [
      r.targetPerSecond,
      fixed(r.cpu.serverPercent ?? Number.NaN, 0),
      fixed(r.projectorBackendsPercent, 0),
      fixed(r.cpu.generatorPercent, 0),
      fixed(r.appendBackendsPercent, 0),
      fixed(r.pollBackendPercent, 0),
      fixed(r.cpu.machinePercent, 0),
      fixed(r.projectorMsPerEvent, 3),
      fixed(r.projectorBackendsMsPerEvent, 3),
    ]),
  );
  for (const r of results.filter((x) => !x.sustained)) {
    console.log(
      `\nThe appender did not sustain ${r.targetPerSecond}/s: ${fixed(r.achievedPerSecond, 0)}/s returned in the window ` +
        `(append p99 ${fixed(r.append.p99Ms, 0)} ms from the scheduled time, ${writers} connections). The lag above is at the rate achieved.`,
    );
  }

  const file = writeResults({
    benchmark: 'projection-lag',
    machine,
    settings: { rates, seconds, warmupSeconds, stories: storyCount, writers, pollMs, drainSeconds, probe },
    results,
    notes: [
      'The real projector process follows the log; the load generator appends through the PostgreSQL event store in this process.',
      'Open loop: the i-th append is due at start + i/rate regardless of earlier ones; each appends one DevelopmentLogged to the story idle longest, exact expected revision.',
      probe === 'checkpoint'
        ? `Lag = the instant a poll first saw the story projection's checkpoint at or past the event's position minus the instant its append returned (the projector moves the checkpoint in the transaction that writes the rows; after each window every story's row is checked against what was appended); polls every ${pollMs} ms from one connection, so the figure is exact to within one poll interval.`
        : `Lag = the instant a poll first saw the event's revision in read_model.stories minus the instant its append returned; polls every ${pollMs} ms from one connection, so the figure is exact to within one poll interval.`,
      'Append latency is measured from the scheduled time, so time spent waiting for a pool connection counts.',
      'The subscription only reads below the oldest running transaction on the whole server (gap safety): long transactions of anything else on the same PostgreSQL, other databases included, hold the projector back and show up here as lag.',
      'Stories grow during the run (one development per append), so later events project onto larger snapshots.',
      "CPU per event: the projector's and its PostgreSQL backends' CPU over the window (warm-up included) divided by the appends that returned in it.",
    ],
  });
  console.log(`\nwrote ${file}`);
});
