import { DEFAULT_LOAD_CONNECTIONS } from '@newsroom/read-models';

/**
 * REBUILD_CONNECTIONS: the connections the bulk load writes on (see RebuildOptions.loadConnections).
 * The default, 2, is one PostgreSQL backend per core of the 2-core machine it was measured on.
 */
export function loadConnectionsFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.REBUILD_CONNECTIONS;
  if (raw === undefined || raw === '') return DEFAULT_LOAD_CONNECTIONS;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1 || n > 64) throw new Error(`REBUILD_CONNECTIONS must be an integer from 1 to 64, got '${raw}'`);
  return n;
}
