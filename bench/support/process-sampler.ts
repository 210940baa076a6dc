import { readFileSync } from 'node:fs';
import { processCpuMs } from './cpu';
import { now } from './latency';

export interface ProcessSamples {
  readonly samples: number;
  readonly intervalMs: number;
  /** Largest resident set seen in a sample. */
  readonly peakRssBytes: number;
  /** The kernel's own high-water mark (VmHWM) at the last sample: catches peaks between samples. */
  readonly highWaterRssBytes: number;
  readonly lastRssBytes: number;
  /** CPU time the process used between the first and the last sample. */
  readonly cpuMs: number;
  /** That CPU time as a share of one core over the same wall-clock span (100% = one core busy). */
  readonly cpuPercent: number;
  /** Resident set every `seriesEveryMs` (seconds since the first sample, MiB): does it stay flat? */
  readonly rssSeries: readonly (readonly [number, number])[];
}

/** VmRSS and VmHWM of a live process, in bytes; null once it has gone. */
function memory(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
  } catch {
    return null;
  }
}

/**
 * Samples a child's resident memory and CPU time every `intervalMs` (Linux /proc) until stopped or
 * the process is gone. The last sample before it exits is kept, so its figures survive it.
 */
export function sampleProcess(pid: number, intervalMs = 250, seriesEveryMs = 5_000): { stop(): ProcessSamples } {
  let samples = 0;
  let peakRss = 0;
  let hwm = 0;
  let lastRss = 0;
  let firstCpu: { ms: number; at: number } | null = null;
  let lastCpu: { ms: number; at: number } | null = null;
  const series: [number, number][] = [];
  let nextSeriesAt = 0;
  const sample = (): void => {
    const mem = memory(pid);
    const cpu = processCpuMs(pid);
    // A process that has exited but not been reaped yet has no VmRSS line.
    if (!mem || !Number.isFinite(mem.rss) || cpu === null) return;
    samples += 1;
    peakRss = Math.max(peakRss, mem.rss);
    if (Number.isFinite(mem.hwm)) hwm = Math.max(hwm, mem.hwm);
    lastRss = mem.rss;
    lastCpu = { ms: cpu, at: now() };
    firstCpu ??= lastCpu;
    const elapsed = lastCpu.at - firstCpu.at;
    if (elapsed >= nextSeriesAt) {
      series.push([Math.round(elapsed / 1000), Math.round(mib(mem.rss))]);
      nextSeriesAt += seriesEveryMs;
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop(): ProcessSamples {
      clearInterval(timer);
      sample();
      const cpuMs = firstCpu && lastCpu ? lastCpu.ms - firstCpu.ms : 0;
      const wallMs = firstCpu && lastCpu ? lastCpu.at - firstCpu.at : 0;
      return {
        samples,
        intervalMs,
        peakRssBytes: peakRss,
        highWaterRssBytes: hwm,
        lastRssBytes: lastRss,
        cpuMs,
        cpuPercent: wallMs > 0 ? (100 * cpuMs) / wallMs : Number.NaN,
        rssSeries: series,
      };
    },
  };
}

export const mib = (bytes: number): number => bytes / 2 ** 20;
