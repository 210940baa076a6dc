import { Client } from 'pg';
import { closedLoop, type LoopBounds, type LoopResult, type Operation } from './closed-loop';
import { type CpuShares, measureCpu, processCpuMs } from './cpu';

export interface BackendCpu {
  /** PostgreSQL server processes seen serving the application. */
  readonly backends: number;
  /** CPU they used over their lives (sampled, so at most `intervalMs` of it can be missed per backend). */
  readonly cpuMs: number;
}

/**
 * CPU of the PostgreSQL backends that serve one application (by `application_name` prefix) in the
 * database of `url`, when
 * the server runs on this machine: the share of the work the database does for a benchmarked
 * process, which its own CPU figure leaves out. Backends are found in pg_stat_activity and read
 * from /proc, every `intervalMs`; each keeps its last reading after it exits.
 */
export async function sampleBackends(
  url: string,
  applicationPrefix: string,
  intervalMs = 500,
): Promise<{ sample(): Promise<BackendCpu>; stop(): Promise<BackendCpu> }> {
  const client = new Client({ connectionString: url, application_name: 'newsroom-bench-backends' });
  await client.connect();
  const cpu = new Map<number, number>();
  let running: Promise<void> = Promise.resolve();
  const sample = async (): Promise<void> => {
    // Only this database's: another benchmark on the same server may run the same application.
    const { rows } = await client.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE starts_with(application_name, $1) AND datname = current_database()`, [
      applicationPrefix,
    ]);
    for (const { pid } of rows) cpu.set(pid, cpu.get(pid) ?? 0);
    for (const pid of cpu.keys()) {
      const ms = processCpuMs(pid);
      if (ms !== null) cpu.set(pid, ms);
    }
  };
  const timer = setInterval(() => {
    running = running.then(sample).catch(() => undefined);
  }, intervalMs);
  const total = (): BackendCpu => ({ backends: cpu.size, cpuMs: [...cpu.values()].reduce((sum, ms) => sum + ms, 0) });
  return {
    /** A reading now (to subtract from the one `stop` gives, for a window's CPU). */
    async sample(): Promise<BackendCpu> {
      running = running.then(sample).catch(() => undefined);
      await running;
      return total();
    },
    async stop(): Promise<BackendCpu> {
      clearInterval(timer);
      await running;
      await sample().catch(() => undefined);
      await client.end();
      return total();
    },
  };
}

/**
 * A closed loop against a server on this machine, with what it cost: the server process's CPU
 * shares (its workers included) and the CPU of its PostgreSQL backends (`applicationPrefix`, in
 * the database of `url`) over the loop's window, in ms.
 */
export async function closedLoopWithCpu(
  url: string,
  server: { readonly pid: number; readonly applicationPrefix: string },
  bounds: LoopBounds,
  operation: Operation,
): Promise<{ result: LoopResult; shares: CpuShares; pgCpuMs: number }> {
  const backends = await sampleBackends(url, server.applicationPrefix, 100);
  const before = await backends.sample();
  const cpu = measureCpu(server.pid);
  const result = await closedLoop(bounds, operation);
  const shares = cpu();
  const after = await backends.stop();
  return { result, shares, pgCpuMs: after.cpuMs - before.cpuMs };
}
