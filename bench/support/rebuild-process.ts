import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type CpuShares, measureCpu } from './cpu';
import { now, perSecond } from './latency';
import { onCleanup } from './lifecycle';
import { startNodeChild } from './node-child';
import { type BackendCpu, sampleBackends } from './pg-backends';
import { type ProcessSamples, sampleProcess } from './process-sampler';
import { repoRoot } from './report';

/** The compiled entry of `npm run projections:rebuild` (scripts/projections-rebuild.mjs runs the migrator, then this). */
export const REBUILD_ENTRY = 'apps/projector/src/rebuild.main.js';
/** The V8 options `npm run projections:rebuild` starts that entry with (one file for both; why, in scripts/projections-rebuild.mjs). */
function rebuildNodeFlags(): string[] {
  return JSON.parse(readFileSync(path.join(repoRoot(), 'scripts', 'lib', 'rebuild-node-flags.json'), 'utf8')) as string[];
}

export interface RebuildRun {
  /** Events replayed, as the rebuild reported them. */
  readonly events: number;
  readonly eventsInSwap: number;
  /** The rebuild's own timing (connect to swap and drop), without Node's start-up. */
  readonly rebuildMs: number;
  /** Spawn to exit. */
  readonly wallMs: number;
  readonly eventsPerSecond: number;
  readonly process: ProcessSamples;
  /** The PostgreSQL backends serving the rebuild (its pools and its LISTEN connection). */
  readonly postgres: BackendCpu;
  readonly machine: CpuShares['machinePercent'];
}

interface RebuiltLine {
  readonly msg?: unknown;
  readonly events?: unknown;
  readonly eventsInSwap?: unknown;
  readonly ms?: unknown;
}

/**
 * Runs the real rebuild (`node dist/apps/projector/src/rebuild.main.js`, DATABASE_URL = `url`)
 * as a child process, sampling its memory and CPU every 250 ms and the CPU of its PostgreSQL
 * backends, and reads its figures from its JSON log. Its progress lines go to `log`.
 */
export async function runRebuildProcess(url: string, options: { cpuProfileDir?: string; log?: (line: string) => void } = {}): Promise<RebuildRun> {
  const log = options.log ?? ((): void => undefined);
  let rebuilt: RebuiltLine | null = null;
  const started = now();
  const machine = measureCpu();
  const child = startNodeChild(REBUILD_ENTRY, {
    env: { DATABASE_URL: url, EVENT_STORE: 'postgres' },
    nodeFlags: rebuildNodeFlags(),
    ...(options.cpuProfileDir === undefined ? {} : { cpuProfileDir: options.cpuProfileDir }),
    onLine: (line, stream) => {
      if (stream === 'stderr') {
        if (line.trim() !== '') log(`  rebuild: ${line.trim()}`);
        return;
      }
      try {
        const parsed = JSON.parse(line) as RebuiltLine;
        if (parsed.msg === 'rebuilt') rebuilt = parsed;
      } catch {
        // Not a log line of ours.
      }
    },
  });
  onCleanup(() => child.stop());
  const sampler = sampleProcess(child.pid, 250);
  const backends = await sampleBackends(url, 'newsroom-rebuild');
  const exit = await child.exited;
  const wallMs = now() - started;
  const samples = sampler.stop();
  const postgres = await backends.stop();
  const cpu = machine();
  const result = rebuilt as RebuiltLine | null;
  if (exit.code !== 0 || !result) {
    throw new Error(`the rebuild exited with ${exit.code ?? exit.signal ?? '?'}:\n${child.output()}`);
  }
  const events = Number(result.events);
  const rebuildMs = Number(result.ms);
  return {
    events,
    eventsInSwap: Number(result.eventsInSwap),
    rebuildMs,
    wallMs,
    eventsPerSecond: perSecond(events, rebuildMs),
    process: samples,
    postgres,
    machine: cpu.machinePercent,
  };
}
