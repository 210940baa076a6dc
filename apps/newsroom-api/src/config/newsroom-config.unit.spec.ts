import { ConfigError, loadConfig } from './newsroom-config';

describe('loadConfig', () => {
  const base = { DATABASE_URL: 'postgres://u@localhost/db' };

  it('defaults the port to 3000, the store to PostgreSQL, the body limit to 64 KiB, the read-your-writes wait to 5 s and the revision cache to 256 MiB', () => {
    expect(loadConfig(base)).toEqual({
      port: 3000,
      databaseUrl: base.DATABASE_URL,
      eventStore: { kind: 'postgres' },
      bodyLimitBytes: 65536,
      tokens: '',
      readYourWritesTimeoutMs: 5000,
      eventStorePoolSize: 20,
      apiWorkers: 1,
      revisionCacheBytes: 256 * 1024 * 1024,
    });
  });

  it('reads API_WORKERS and refuses zero', () => {
    expect(loadConfig({ ...base, API_WORKERS: '2' }).apiWorkers).toBe(2);
    expect(() => loadConfig({ ...base, API_WORKERS: '0' })).toThrow(ConfigError);
  });

  it('reads READ_YOUR_WRITES_TIMEOUT_MS and refuses a negative one', () => {
    expect(loadConfig({ ...base, READ_YOUR_WRITES_TIMEOUT_MS: '250' }).readYourWritesTimeoutMs).toBe(250);
    expect(loadConfig({ ...base, EVENT_STORE_POOL_SIZE: '32' }).eventStorePoolSize).toBe(32);
    expect(() => loadConfig({ ...base, READ_YOUR_WRITES_TIMEOUT_MS: '-1' })).toThrow(/READ_YOUR_WRITES_TIMEOUT_MS/);
  });

  it('reads REVISION_CACHE_MB in MiB, 0 turning the cache off', () => {
    expect(loadConfig({ ...base, REVISION_CACHE_MB: '8' }).revisionCacheBytes).toBe(8 * 1024 * 1024);
    expect(loadConfig({ ...base, REVISION_CACHE_MB: '0' }).revisionCacheBytes).toBe(0);
    expect(() => loadConfig({ ...base, REVISION_CACHE_MB: 'lots' })).toThrow(/REVISION_CACHE_MB/);
  });

  it('reads PORT and NEWSROOM_TOKENS', () => {
    expect(loadConfig({ ...base, PORT: '8080' }).port).toBe(8080);
    expect(loadConfig({ ...base, NEWSROOM_TOKENS: 't:e:editor' }).tokens).toBe('t:e:editor');
  });

  it('refuses to start without DATABASE_URL', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
  });

  it('refuses a non-numeric PORT', () => {
    expect(() => loadConfig({ ...base, PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('selects EventStoreDB only with a connection string', () => {
    expect(() => loadConfig({ ...base, EVENT_STORE: 'eventstoredb' })).toThrow(/EVENTSTORE_CONNECTION_STRING/);
    expect(loadConfig({ ...base, EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://h:2113' }).eventStore).toEqual({
      kind: 'eventstoredb',
      connectionString: 'esdb://h:2113',
    });
  });

  it('rejects an unknown EVENT_STORE', () => {
    expect(() => loadConfig({ ...base, EVENT_STORE: 'mongo' })).toThrow(/EVENT_STORE/);
  });
});
