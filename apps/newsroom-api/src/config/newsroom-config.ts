/** Everything the API reads from its environment, parsed once at start-up. */
export interface NewsroomConfig {
  readonly port: number;
  readonly databaseUrl: string;
  readonly eventStore: EventStoreConfig;
  /** Largest accepted request body, in bytes (413 above it). */
  readonly bodyLimitBytes: number;
  /** `token:editorId:role,...`; required, `npm start` makes one when unset. */
  readonly tokens: string;
  /** How long a read with `?minRevision=` waits for the read model before answering 503. */
  readonly readYourWritesTimeoutMs: number;
  /** PostgreSQL connections for the event store (writes and stream reads), per API worker. */
  readonly eventStorePoolSize: number;
  /** HTTP worker processes (node:cluster) sharing the port; 1 runs the API in this process. */
  readonly apiWorkers: number;
  /** Memory for rebuilt revisions and diffs (immutable, so kept until evicted); 0 turns the cache off. */
  readonly revisionCacheBytes: number;
}

export type EventStoreConfig =
  | { readonly kind: 'postgres' }
  | { readonly kind: 'eventstoredb'; readonly connectionString: string };

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = integer(env, name, fallback);
  if (value < 1) throw new ConfigError(`${name} must be at least 1, got "${env[name]}"`);
  return value;
}

export function eventStoreConfig(env: NodeJS.ProcessEnv): EventStoreConfig {
  const kind = env.EVENT_STORE ?? 'postgres';
  if (kind === 'postgres') return { kind };
  if (kind === 'eventstoredb') {
    const connectionString = env.EVENTSTORE_CONNECTION_STRING;
    if (!connectionString) throw new ConfigError('EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING');
    return { kind, connectionString };
  }
  throw new ConfigError(`EVENT_STORE must be "postgres" or "eventstoredb", got "${kind}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): NewsroomConfig {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    throw new ConfigError('DATABASE_URL is not set. `npm start` sets it (starting an embedded PostgreSQL); when running the app directly, set it.');
  }
  return {
    port: integer(env, 'PORT', 3000),
    databaseUrl,
    eventStore: eventStoreConfig(env),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 64 * 1024),
    tokens: env.NEWSROOM_TOKENS ?? '',
    readYourWritesTimeoutMs: integer(env, 'READ_YOUR_WRITES_TIMEOUT_MS', 5000),
    eventStorePoolSize: integer(env, 'EVENT_STORE_POOL_SIZE', 20),
    apiWorkers: positive(env, 'API_WORKERS', 1),
    revisionCacheBytes: integer(env, 'REVISION_CACHE_MB', 256) * 1024 * 1024,
  };
}
