import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * CPU used during a measured window, as a share of one core (100% = one core busy), for the load
 * generator (this process), the API child and the whole machine. On two cores they all compete,
 * so these say how much of the machine the generator itself took.
 */
export interface CpuShares {
  readonly generatorPercent: number;
  readonly serverPercent: number | null;
  /** CPU time the server used in the window, in ms (with its child processes: cluster workers). */
  readonly serverMs: number | null;
  /** All cores: 200% = both cores of a 2-core machine busy. Includes PostgreSQL and anything else running. */
  readonly machinePercent: number;
}

/** Linux's USER_HZ, which /proc/<pid>/stat counts in; 100 on every mainstream kernel build. */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time of a live process so far, in ms; null once it has gone. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Live descendants of a process (Linux /proc/<pid>/task/<tid>/children), e.g. node:cluster workers. */
function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const visit = (parent: number): void => {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${parent}/task`);
    } catch {
      return;
    }
    for (const task of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(' ').filter((field) => field !== '').map(Number)) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return found;
}

/**
 * CPU time of a process and its live descendants so far, by pid, in ms: a window's CPU is the sum
 * of the differences for pids seen at both ends (workers that live through the window).
 */
export function processTreeCpuMs(pid: number): Map<number, number> {
  const times = new Map<number, number>();
  for (const each of [pid, ...descendantsOf(pid)]) {
    const ms = processCpuMs(each);
    if (ms !== null) times.set(each, ms);
  }
  return times;
}

function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + idle + irq;
  }
  return { busy, total };
}

/** Starts measuring; call the returned function at the end of the window. */
export function measureCpu(serverPid?: number): () => CpuShares {
  const wallStart = performance.now();
  const generatorStart = process.cpuUsage();
  const serverStart = serverPid === undefined ? null : processTreeCpuMs(serverPid);
  const machineStart = machineTimes();
  return () => {
    const wallMs = performance.now() - wallStart;
    const generator = process.cpuUsage(generatorStart);
    const serverEnd = serverPid === undefined ? null : processTreeCpuMs(serverPid);
    let serverMs: number | null = null;
    if (serverStart !== null && serverEnd !== null && serverPid !== undefined && serverEnd.has(serverPid)) {
      serverMs = 0;
      for (const [pid, ms] of serverEnd) serverMs += ms - (serverStart.get(pid) ?? ms);
    }
    const machineEnd = machineTimes();
    const cores = os.cpus().length;
    const machineTotal = machineEnd.total - machineStart.total;
    return {
      generatorPercent: (100 * (generator.user + generator.system)) / 1000 / wallMs,
      serverPercent: serverMs === null ? null : (100 * serverMs) / wallMs,
      serverMs,
      machinePercent: machineTotal <= 0 ? 0 : (100 * cores * (machineEnd.busy - machineStart.busy)) / machineTotal,
    };
  };
}
