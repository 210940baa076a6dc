import { Client } from 'pg';
import { errorFields, type ProjectorLogger, silentLogger } from './projector-logger';

/**
 * The projector's advisory lock key. Any constant works as long as every projector of one
 * database uses the same one; this is `hashtextextended('newsroom:projector', 0)` written out,
 * so the key stays fixed even if PostgreSQL ever changed that hash.
 */
export const PROJECTOR_LOCK_KEY = -2_922_587_453_643_126_540n;

/** The rebuild's own key (`hashtextextended('newsroom:projector:rebuild', 0)`): one rebuild at a time. */
export const REBUILD_LOCK_KEY = -3_530_707_691_037_969_041n;

export interface LeaderLockOptions {
  readonly url: string;
  readonly key: bigint;
  readonly applicationName?: string;
  /** How often a standby tries the lock. */
  readonly retryMs?: number;
  /** How often the leader proves its lock connection is alive. */
  readonly heartbeatMs?: number;
  readonly logger?: ProjectorLogger;
}

/**
 * Single active instance through a session-level `pg_try_advisory_lock` held on a connection of
 * its own. The lock lives exactly as long as that session: when the leader dies, PostgreSQL ends
 * the session and a standby's next try succeeds. A leader that loses the connection has lost the
 * lock and must stop at once: `onLost` handlers are told (the projector process exits on it).
 *
 * Leadership is about not doing the work twice, not about correctness: `applyBatch` locks the
 * checkpoint row FOR UPDATE and skips events at or before it, so even two projectors running at
 * once (a leader that has not yet noticed its loss) never apply an event twice or skip one.
 */
export class LeaderLock {
  private client: Client | null = null;
  private leading = false;
  private released = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly lostHandlers: ((reason: unknown) => void)[] = [];
  private readonly logger: ProjectorLogger;

  constructor(private readonly options: LeaderLockOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /**
   * Resolves true once this process holds the lock, trying every `retryMs` meanwhile (a hot
   * standby); false when `signal` aborts first.
   */
  async acquire(signal?: AbortSignal): Promise<boolean> {
    let waiting = false;
    while (!signal?.aborted && !this.released) {
      try {
        const client = await this.connect();
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [this.options.key.toString()]);
        if (rows[0]?.locked === true) {
          this.becomeLeader(client);
          return true;
        }
        if (!waiting) this.logger.info('another instance holds the lock; waiting as a hot standby', { retryMs: this.retryMs });
        waiting = true;
      } catch (error) {
        this.logger.warn('could not try the lock; retrying', errorFields(error));
        await this.disconnect();
      }
      await sleep(this.retryMs, signal);
    }
    await this.disconnect();
    return false;
  }

  /** Called once if the lock is lost while leading (not after `release()`). */
  onLost(handler: (reason: unknown) => void): void {
    this.lostHandlers.push(handler);
  }

  /** Ends the lock's session, which releases the lock. */
  async release(): Promise<void> {
    this.released = true;
    this.leading = false;
    await this.disconnect();
  }

  private get retryMs(): number {
    return this.options.retryMs ?? 750;
  }

  private async connect(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({
      connectionString: this.options.url,
      application_name: this.options.applicationName ?? 'newsroom-leader-lock',
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
    });
    // Until leadership, a broken connection only means "reconnect before the next try".
    client.on('error', (error) => this.onConnectionLost(client, error));
    client.on('end', () => this.onConnectionLost(client, new Error('lock connection ended')));
    this.client = client;
    await client.connect();
    return client;
  }

  private becomeLeader(client: Client): void {
    this.leading = true;
    this.heartbeat = setInterval(() => {
      client.query('SELECT 1').catch((error: unknown) => this.onConnectionLost(client, error));
    }, this.options.heartbeatMs ?? 2_000);
    this.heartbeat.unref();
  }

  private onConnectionLost(client: Client, reason: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    void client.end().catch(() => undefined);
    if (!this.leading || this.released) return;
    this.leading = false;
    this.logger.error('lost the lock connection: no longer the leader', errorFields(reason));
    for (const handler of this.lostHandlers) handler(reason);
  }

  private async disconnect(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
