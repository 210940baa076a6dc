/** Benchmark settings from the environment: every loop is bounded, and every bound can be tightened. */

const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The PostgreSQL server the benchmarks create their throwaway databases on. */
export function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  return url === undefined || url === '' ? DEFAULT_SERVER_URL : url;
}

/** A positive number from the environment, or the fallback when unset. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

export function envInteger(name: string, fallback: number): number {
  const value = envNumber(name, fallback);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return value;
}

export function envFlag(name: string): boolean {
  const raw = process.env[name];
  return raw !== undefined && raw !== '' && raw !== '0' && raw.toLowerCase() !== 'false';
}

/** How long each measured cell runs (BENCH_SECONDS), and the short warm-up before it. */
export function cellTiming(defaultSeconds: number): { readonly seconds: number; readonly warmupSeconds: number } {
  const seconds = envNumber('BENCH_SECONDS', defaultSeconds);
  return { seconds, warmupSeconds: Math.min(1, seconds / 5) };
}
