import type { Pool } from 'pg';
import type { EventStoreLogger } from './event-store-logger';
import { APPENDED_CHANNEL } from './postgres-event-store.sql';

/**
 * Wakes subscribers after appends, outside the appending transaction. PostgreSQL serialises the
 * commits of every transaction that has sent a NOTIFY (one server-wide lock), so notifying inside
 * each append caps append throughput for the whole server. Instead each store sends at most one
 * notification at a time, after commit, and one more if appends committed meanwhile: a subscriber
 * is always woken after the last append, and the safety poll covers a notification that fails.
 */
export class AppendNotifier {
  private sending: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly pool: Pool,
    private readonly logger: EventStoreLogger,
  ) {}

  /** Call after an append has committed. */
  poke(): void {
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = this.send().finally(() => {
      this.sending = null;
    });
  }

  /** Waits for a notification in flight (before closing the pool). */
  async idle(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async send(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.pool.query(`SELECT pg_notify('${APPENDED_CHANNEL}', '')`);
      } catch (error) {
        this.logger.warn('could not notify subscribers of an append (they will find it at their next poll)', error);
        return;
      }
    } while (this.again);
  }
}
