import { type LatencySummary, now, perSecond, summarize } from './latency';
import { isInterrupted } from './lifecycle';

export interface LoopBounds {
  /** Concurrent workers, each running its operation back to back (a closed loop). */
  readonly workers: number;
  /** No operation starts after this. */
  readonly durationMs: number;
  /** Nor after this many have started, across all workers. */
  readonly maxOperations: number;
}

/**
 * One operation by one worker: resolves to null when it succeeded, or to a short label for the
 * failure ("412", "ExpectedRevisionConflict"). A throw is counted under the error's name.
 */
export type Operation = (worker: number) => Promise<string | null>;

export interface LoopResult {
  readonly operations: number;
  readonly succeeded: number;
  readonly failures: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
  /** Successful operations per second of wall-clock time. */
  readonly perSecond: number;
  /** Of the successful operations only: failures are counted, not timed. */
  readonly latency: LatencySummary;
}

/** What closed loops measured, before it is summarised: every success's latency, kept to merge runs. */
interface RawLoop {
  readonly operations: number;
  readonly samples: number[];
  readonly failures: Record<string, number>;
  readonly elapsedMs: number;
}

async function runLoop(bounds: LoopBounds, operation: Operation): Promise<RawLoop> {
  const samples: number[] = [];
  const failures: Record<string, number> = {};
  let started = 0;
  const begin = now();
  const deadline = begin + bounds.durationMs;

  const worker = async (index: number): Promise<void> => {
    while (started < bounds.maxOperations && now() < deadline && !isInterrupted()) {
      started += 1;
      const t0 = now();
      let failure: string | null;
      try {
        failure = await operation(index);
      } catch (error) {
        failure = error instanceof Error ? error.name : 'Error';
      }
      if (failure === null) samples.push(now() - t0);
      else failures[failure] = (failures[failure] ?? 0) + 1;
    }
  };

  await Promise.all(Array.from({ length: bounds.workers }, (_, index) => worker(index)));
  return { operations: started, samples, failures, elapsedMs: now() - begin };
}

function summarise(runs: readonly RawLoop[]): LoopResult {
  const samples = runs.flatMap((run) => run.samples);
  const failures: Record<string, number> = {};
  for (const run of runs) for (const [label, count] of Object.entries(run.failures)) failures[label] = (failures[label] ?? 0) + count;
  const elapsedMs = runs.reduce((sum, run) => sum + run.elapsedMs, 0);
  return {
    operations: runs.reduce((sum, run) => sum + run.operations, 0),
    succeeded: samples.length,
    failures,
    elapsedMs,
    perSecond: perSecond(samples.length, elapsedMs),
    latency: summarize(samples),
  };
}

/** Runs `workers` closed loops until the time or the operation budget is spent. */
export async function closedLoop(bounds: LoopBounds, operation: Operation): Promise<LoopResult> {
  return summarise([await runLoop(bounds, operation)]);
}

/**
 * Several operations measured in turns instead of one after the other: `slices` rounds, each
 * giving every operation an equal slice of `bounds.durationMs` (and of the operation budget), so a
 * change in the machine's load during the run affects all of them alike. Each result covers only
 * its own slices' wall time.
 */
export async function interleavedLoops(bounds: LoopBounds, slices: number, operations: readonly Operation[]): Promise<LoopResult[]> {
  const runs: RawLoop[][] = operations.map(() => []);
  const slice: LoopBounds = {
    workers: bounds.workers,
    durationMs: bounds.durationMs / slices,
    maxOperations: Math.max(1, Math.floor(bounds.maxOperations / slices)),
  };
  for (let round = 0; round < slices && !isInterrupted(); round += 1) {
    for (const [index, operation] of operations.entries()) runs[index]?.push(await runLoop(slice, operation));
  }
  return runs.map(summarise);
}

export function describeFailures(failures: Readonly<Record<string, number>>): string {
  const entries = Object.entries(failures);
  return entries.length === 0 ? '-' : entries.map(([label, count]) => `${label}:${count}`).join(' ');
}
