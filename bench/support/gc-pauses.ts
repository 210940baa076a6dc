import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fixed } from './report';

/**
 * Garbage-collection pauses, for reading a latency tail: a pause in the server delays every
 * request it holds, and a pause in the load generator delays the timestamp of every answer that
 * arrives meanwhile. Each pause is kept as [wall-clock ms at its start, its duration in ms], so
 * the pauses of any window can be picked out afterwards, in this process or in another (whose
 * pauses `gc-pauses-preload` writes to a file).
 */
export type GcPause = readonly [atMs: number, durationMs: number];

export class GcRecorder {
  readonly pauses: GcPause[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.pauses.push([performance.timeOrigin + entry.startTime, entry.duration]);
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  stop(): void {
    this.observer.disconnect();
  }
}

export interface GcSummary {
  readonly count: number;
  readonly totalMs: number;
  /** Pauses longer than 5 ms: each one alone is a p99 latency on these benches. */
  readonly over5ms: number;
  readonly longestMs: number;
}

/** The pauses that started within [fromMs, toMs] (wall clock). */
export function summarizePauses(pauses: readonly GcPause[], fromMs: number, toMs: number): GcSummary {
  let count = 0;
  let totalMs = 0;
  let over5ms = 0;
  let longestMs = 0;
  for (const [at, duration] of pauses) {
    if (at < fromMs || at > toMs) continue;
    count += 1;
    totalMs += duration;
    if (duration > 5) over5ms += 1;
    longestMs = Math.max(longestMs, duration);
  }
  return { count, totalMs, over5ms, longestMs };
}

/** The files `gc-pauses-preload` writes for BENCH_GC_FILE=`prefix`: one per process. */
export function pauseFiles(prefix: string): string[] {
  const dir = path.dirname(prefix);
  const start = `${path.basename(prefix)}.`;
  return readdirSync(dir)
    .filter((name) => name.startsWith(start) && /^\d+$/.test(name.slice(start.length)))
    .map((name) => path.join(dir, name));
}

/**
 * Pauses other processes wrote with `gc-pauses-preload` under `prefix` (a line each), all
 * together; none before they have written. A last line still being written is left for later.
 */
export function readPauses(prefix: string): GcPause[] {
  return pauseFiles(prefix).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(0, -1)
      .map((line) => JSON.parse(line) as GcPause),
  );
}

/** "count over 5 ms / longest ms", for a table cell. */
export const describeLongPauses = (summary: GcSummary): string => `${summary.over5ms} / ${fixed(summary.longestMs, 1)}`;
