/** Latency samples in milliseconds; percentiles by nearest rank over the sorted samples. */

export interface LatencySummary {
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Nearest-rank percentile: the smallest sample that at least p% of the samples do not exceed. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const values = Array.from(sorted);
  const total = values.reduce((sum, ms) => sum + ms, 0);
  return {
    count: values.length,
    meanMs: values.length === 0 ? Number.NaN : total / values.length,
    p50Ms: percentile(values, 50),
    p95Ms: percentile(values, 95),
    p99Ms: percentile(values, 99),
    maxMs: values.length === 0 ? Number.NaN : (values.at(-1) as number),
  };
}

export class LatencyRecorder {
  private readonly samples: number[] = [];

  record(ms: number): void {
    this.samples.push(ms);
  }

  /** Times one operation and records it, whether it succeeds or throws. */
  async time<T>(operation: () => Promise<T>): Promise<T> {
    const started = now();
    try {
      return await operation();
    } finally {
      this.record(now() - started);
    }
  }

  get count(): number {
    return this.samples.length;
  }

  summary(): LatencySummary {
    return summarize(this.samples);
  }
}

/** Milliseconds on the monotonic clock. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs <= 0 ? 0 : (count * 1000) / elapsedMs;
}
