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

/** Runs `workers` closed loops until the time or the operation budget is spent. */
export async function closedLoop(bounds: LoopBounds, operation: Operation): Promise<LoopResult> {
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
  const elapsedMs = now() - begin;
  return {
    operations: started,
    succeeded: samples.length,
    failures,
    elapsedMs,
    perSecond: perSecond(samples.length, elapsedMs),
    latency: summarize(samples),
  };
}

export function describeFailures(failures: Readonly<Record<string, number>>): string {
  const entries = Object.entries(failures);
  return entries.length === 0 ? '-' : entries.map(([label, count]) => `${label}:${count}`).join(' ');
}
