import os from 'node:os';
import { Client } from 'pg';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly totalMemoryBytes: number;
  readonly platform: string;
  readonly node: string;
  readonly postgres: string;
  readonly date: string;
}

/** What the figures were measured on: they mean nothing without it. */
export async function machineInfo(databaseUrl: string): Promise<MachineInfo> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'newsroom-bench-info' });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>('SELECT version()');
    const cpus = os.cpus();
    return {
      cpuModel: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      totalMemoryBytes: os.totalmem(),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      node: process.version,
      postgres: rows[0]?.version ?? 'unknown',
      date: new Date().toISOString(),
    };
  } finally {
    await client.end();
  }
}

export function describeMachine(machine: MachineInfo): string {
  const gib = (machine.totalMemoryBytes / 2 ** 30).toFixed(1);
  return [
    `${machine.cpuModel}, ${machine.cores} cores, ${gib} GiB, ${machine.platform}`,
    `Node ${machine.node}; ${machine.postgres.split(' on ')[0] ?? machine.postgres}; ${machine.date}`,
  ].join('\n');
}
