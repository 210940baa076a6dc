import { Client } from 'pg';
import type { ClientConfig } from 'pg';
import type { EventStoreLogger } from './event-store-logger';
import { APPENDED_CHANNEL } from './postgres-event-store.sql';

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

 */
export class AppendNotifier {
  private sending: Promise<void> | null = null;
  private again = false;
  private client: Client | null = null;
  private closed = false;

  constructor(
    private readonly config: ClientConfig,
    private readonly logger: EventStoreLogger,
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

  /** Waits for a notification in flight, then closes the connection; later pokes do nothing. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.sending) await this.sending;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async send(): Promise<void> {
    do {
      this.again = false;
      try {
        const client = await this.connection();
        await client.query(`SELECT pg_notify('${APPENDED_CHANNEL}', '')`);
      } catch (error) {
        this.logger.warn('could not notify subscribers of an append (they will find it at their next poll)', error);
        this.drop();
        return;
      }
    } while (this.again && !this.closed);
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
