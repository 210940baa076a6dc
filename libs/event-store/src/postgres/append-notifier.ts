import { Client } from 'pg';
import type { ClientConfig } from 'pg';
import type { EventStoreLogger } from './event-store-logger';
import { APPENDED_CHANNEL } from './postgres-event-store.sql';

/** Small beside a poll's cost and the projection-lag budget; large beside an append's round trip. */
export const DEFAULT_NOTIFY_INTERVAL_MS = 2;

/**
 * Wakes subscribers after appends, outside the appending transaction. PostgreSQL serialises the
 * commits of every transaction that has sent a NOTIFY (one server-wide lock), so notifying inside
 * each append caps append throughput for the whole server. Instead each store sends at most one
 * notification at a time, after commit, and one more if appends committed meanwhile: a subscriber
 * is always woken after the last append, and the safety poll covers a notification that fails.
 *
 * The notifications go over a connection of their own, opened on the first append and opened
 * again after it fails: on a pool connection a notification waits for a free slot behind appends
 * and holds one that the next append then waits for (with a pool of one connection, every append
 * paid a second round trip).
 *
 * Notifications are at least `minIntervalMs` apart: under a steady stream of appends one per
 * interval wakes subscribers as well as one per append (they read everything committed when they
 * wake), and each costs the server a transaction and a signal to every listener.
 */
export class AppendNotifier {
  private sending: Promise<void> | null = null;
  private again = false;
  private client: Client | null = null;
  private closed = false;
  private lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly config: ClientConfig,
    private readonly logger: EventStoreLogger,
    private readonly minIntervalMs = DEFAULT_NOTIFY_INTERVAL_MS,
  ) {}

  /** Call after an append has committed. */
  poke(): void {
    if (this.closed) return;
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = this.send().finally(() => {
      this.sending = null;
    });
  }

  /** Sends what is owed at once, then closes the connection; later pokes do nothing. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.sending) await this.sending;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async send(): Promise<void> {
    do {
      const wait = this.lastSentAt + this.minIntervalMs - performance.now();
      if (wait > 0 && !this.closed) await new Promise((resolve) => setTimeout(resolve, wait));
      this.again = false;
      this.lastSentAt = performance.now();
      try {
        const client = await this.connection();
        await client.query(`SELECT pg_notify('${APPENDED_CHANNEL}', '')`);
      } catch (error) {
        this.logger.warn('could not notify subscribers of an append (they will find it at their next poll)', error);
        this.drop();
        return;
      }
    } while (this.again);
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client(this.config);
    // A connection that dies between notifications is replaced on the next one.
    client.on('error', (error) => {
      this.logger.warn('the append-notification connection failed', error);
      if (this.client === client) this.drop();
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  private drop(): void {
    const client = this.client;
    this.client = null;
    client?.end().catch(() => undefined);
  }
}
