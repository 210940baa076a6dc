import path from 'node:path';
import { startApiProcess } from './support/api-process';
import { createBenchDatabase } from './support/bench-database';
import { closedLoopWithCpu } from './support/pg-backends';
import { closedLoop, describeFailures, type LoopBounds, type LoopResult, type Operation } from './support/closed-loop';
import { type CpuShares } from './support/cpu';
import { HttpClient, type JsonResponse } from './support/http-client';
import { onCleanup, runBench } from './support/lifecycle';
import { describeMachine, machineInfo } from './support/machine';
import { type BenchEditor, benchEditors, developmentRequest, openStoryRequest } from './support/newsroom-payloads';
import { fixed, printTable, repoRoot, writeResults } from './support/report';
import { cellTiming, envFlag, envInteger } from './support/settings';

/**
 * The HTTP write path under 32 concurrent editors, against the built API running as a child
 * process: (a) each editor on a story of their own with the exact If-Match from their last ETag,
 * (b) every editor on one hot story with If-Match: * (the server retries lost races itself).
 */

interface ScenarioResult extends LoopResult {
  readonly scenario: string;
  readonly editors: number;
  readonly cpu: CpuShares;
  /** Lost races the server retried by itself (If-Match: *), from its /metrics. */
  readonly serverRetries: number;
  /** API process CPU (all its workers) per successful development, in ms. */
  readonly apiCpuMsPerDevelopment: number;
  /** CPU of the PostgreSQL backends serving the API per successful development, in ms (sampled). */
  readonly pgCpuMsPerDevelopment: number;
}

const authorization = (editor: BenchEditor): Record<string, string> => ({ authorization: `Bearer ${editor.token}` });

async function openStory(client: HttpClient, editor: BenchEditor): Promise<{ id: string; etag: string }> {
  const res = await client.post('/stories', openStoryRequest, authorization(editor));
  const body = res.body as { storyId?: string };
  if (res.status !== 201 || body.storyId === undefined || res.etag === undefined) {
    throw new Error(`opening a story answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return { id: body.storyId, etag: res.etag };
}

async function retriesSoFar(client: HttpClient): Promise<number> {
  const res = await client.get('/metrics');
  const match = /^newsroom_append_conflicts_total\{outcome="retried"\} (\d+)/m.exec(String(res.body));
  return match ? Number(match[1]) : 0;
}

const failureOf = (res: JsonResponse): string | null => (res.status === 201 ? null : String(res.status));

runBench('api', async () => {
  const { seconds, warmupSeconds } = cellTiming(10);
  /** Passed through to the API with the rest of the environment (node:cluster workers). */
  const apiWorkers = envInteger('API_WORKERS', 1);
  const editorsCount = envInteger('BENCH_EDITORS', 32);
  const maxOperations = envInteger('BENCH_MAX_REQUESTS', 500_000);
  const profile = envFlag('BENCH_CPU_PROFILE');
  // BENCH_SCENARIOS=a or =b runs one of them (to profile one alone); both by default.
  const selected = (process.env.BENCH_SCENARIOS ?? 'a,b').split(',').map((name) => name.trim());
  const profileDir = path.join(repoRoot(), 'bench', 'results', 'profiles');

  const db = await createBenchDatabase();
  onCleanup(() => db.drop());
  const machine = await machineInfo(db.url);
  console.log(describeMachine(machine));

  const { editors, tokens } = benchEditors(editorsCount);
  const logLevel = process.env.BENCH_API_LOG_LEVEL ?? 'info';
  const api = await startApiProcess({ databaseUrl: db.url, tokens, logLevel, ...(profile ? { cpuProfileDir: profileDir } : {}) });
  onCleanup(() => api.stop());
  const client = new HttpClient(api.baseUrl, editorsCount + 1);
  onCleanup(() => Promise.resolve(client.close()));
  console.log(`newsroom-api pid ${api.pid} (API_WORKERS=${apiWorkers}) at ${api.baseUrl}; ${editorsCount} editors, ${seconds} s per scenario after ${warmupSeconds} s warm-up`);

  const editorAt = (worker: number): BenchEditor => {
    const editor = editors[worker];
    if (!editor) throw new Error(`no editor ${worker}`);
    return editor;
  };
  const bounds: LoopBounds = { workers: editorsCount, durationMs: seconds * 1000, maxOperations };

  const run = async (scenario: string, operation: Operation): Promise<ScenarioResult> => {
    await closedLoop({ ...bounds, durationMs: warmupSeconds * 1000 }, operation);
    const retriesBefore = await retriesSoFar(client);
    const { result, shares, pgCpuMs } = await closedLoopWithCpu(db.url, { pid: api.pid, applicationPrefix: 'newsroom-api' }, bounds, operation);
    const serverRetries = (await retriesSoFar(client)) - retriesBefore;
    const apiCpuMsPerDevelopment = (shares.serverMs ?? Number.NaN) / result.succeeded;
    const pgCpuMsPerDevelopment = pgCpuMs / result.succeeded;
    console.log(`  ${scenario}: ${fixed(result.perSecond, 0)} developments/s, CPU per development: API ${fixed(apiCpuMsPerDevelopment, 2)} ms, PostgreSQL ${fixed(pgCpuMsPerDevelopment, 2)} ms`);
    return { scenario, editors: editorsCount, ...result, cpu: shares, serverRetries, apiCpuMsPerDevelopment, pgCpuMsPerDevelopment };
  };

  const scenarios: ScenarioResult[] = [];

  // (a) Each editor on their own story, If-Match from the ETag of their previous write.
  if (selected.includes('a')) {
    const own = await Promise.all(editors.map((editor) => openStory(client, editor)));
    scenarios.push(
      await run(`a: ${editorsCount} stories, exact If-Match`, async (worker) => {
        const story = own[worker];
        if (!story) throw new Error(`no story for editor ${worker}`);
        const res = await client.post(`/stories/${story.id}/developments`, developmentRequest, { ...authorization(editorAt(worker)), 'if-match': story.etag });
        if (res.status === 201 && res.etag !== undefined) story.etag = res.etag;
        if (res.status === 412) story.etag = `"${(res.body as { currentRevision: number }).currentRevision}"`;
        return failureOf(res);
      }),
    );
  }

  // (b) Every editor on the same story, If-Match: *.
  if (selected.includes('b')) {
    const hot = await openStory(client, editorAt(0));
    scenarios.push(
      await run('b: 1 hot story, If-Match: *', async (worker) => {
        const res = await client.post(`/stories/${hot.id}/developments`, developmentRequest, { ...authorization(editorAt(worker)), 'if-match': '*' });
        return failureOf(res);
      }),
    );
  }

  printTable(
    `Developments logged over HTTP, ${editorsCount} concurrent editors (latency in ms; CPU in % of one core)`,
    ['scenario', 'dev/s', 'p50', 'p95', 'p99', 'max', 'errors', 'retries', 'api CPU', 'api ms/dev', 'pg ms/dev', 'gen CPU', 'machine'],
    scenarios.map((s) => [
      s.scenario,
      fixed(s.perSecond, 0),
      fixed(s.latency.p50Ms, 1),
      fixed(s.latency.p95Ms, 1),
      fixed(s.latency.p99Ms, 1),
      fixed(s.latency.maxMs, 1),
      describeFailures(s.failures),
      s.serverRetries,
      s.cpu.serverPercent === null ? '-' : fixed(s.cpu.serverPercent, 0),
      fixed(s.apiCpuMsPerDevelopment, 2),
      fixed(s.pgCpuMsPerDevelopment, 2),
      fixed(s.cpu.generatorPercent, 0),
      `${fixed(s.cpu.machinePercent, 0)}/${machine.cores * 100}`,
    ]),
  );
  console.log('\nThe load generator runs on the same cores as the API and PostgreSQL: its CPU ("gen CPU") is taken from them.');

  await api.stop();
  if (profile) console.log(`CPU profile of the API written under ${profileDir}`);
  const file = writeResults({
    benchmark: 'api',
    machine,
    settings: { scenarios: selected, apiWorkers, apiLogLevel: logLevel, editors: editorsCount, secondsPerScenario: seconds, warmupSecondsPerScenario: warmupSeconds, maxRequests: maxOperations, cpuProfile: profile },
    results: scenarios,
    notes: [
      'The API runs as a child process (node dist/apps/newsroom-api/src/main.js, LOG_LEVEL=info, request log to /dev/null); the generator is node:http with a keep-alive agent, one socket per editor.',
      'Failures are counted by HTTP status and not timed; latency percentiles are of 201 responses.',
      'On a 2-core machine the generator, the API and PostgreSQL share the cores: see the cpu shares of each scenario.',
    ],
  });
  console.log(`wrote ${file}`);
});
