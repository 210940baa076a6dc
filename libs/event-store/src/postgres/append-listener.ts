import { Client } from 'pg';
import type { ClientConfig } from 'pg';
import type { EventStoreLogger } from './event-store-logger';
import { APPENDED_CHANNEL } from './postgres-event-store.sql';

export interface AppendListenerSettings {
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
}

/**
 * A dedicated connection that LISTENs for appends and calls `onAppended` for each commit. Losing
 * it never loses events, only latency (subscriptions also poll on a timer), so it reconnects with
 * backoff instead of failing the subscription, and signals once more after every (re)connect,
 * because notifications sent while it was away are gone.
 */
export class AppendListener {
  private client: Client | null = null;
  private started: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private backoffMs: number;
  private closed = false;

  constructor(
    private readonly clientConfig: ClientConfig,
    private readonly onAppended: () => void,
    private readonly logger: EventStoreLogger,
    private readonly settings: AppendListenerSettings,
  ) {
    this.backoffMs = settings.reconnectMinMs;
  }

  /** Resolves once the first connection attempt has settled, whether it succeeded or not. */
  start(): Promise<void> {
    this.started ??= this.connect();
    return this.started;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.client;
    this.client = null;
    if (client) await this.end(client);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client(this.clientConfig);
    this.client = client;
    let dropped = false;
    const drop = (error: unknown): void => {
      if (dropped) return;
      dropped = true;
      this.handleDrop(client, error);
    };
    client.on('error', drop);
    client.on('end', () => drop(new Error('LISTEN connection ended')));
    client.on('notification', (message) => {
      if (message.channel === APPENDED_CHANNEL) this.onAppended();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${APPENDED_CHANNEL}`);
    } catch (error) {
      drop(error);
      return;
    }
    if (this.closed || dropped) return;
    this.backoffMs = this.settings.reconnectMinMs;
    this.onAppended();
  }

  private handleDrop(client: Client, error: unknown): void {
    if (this.client === client) this.client = null;
    if (this.closed) return;
    this.logger.warn(`LISTEN ${APPENDED_CHANNEL} connection lost; reconnecting in ${this.backoffMs} ms`, error);
    void this.end(client);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, this.settings.reconnectMaxMs);
  }

  private async end(client: Client): Promise<void> {
    try {
      await client.end();
    } catch (error) {
      // Only the socket of a connection we are abandoning is at stake here.
      this.logger.warn(`closing the LISTEN ${APPENDED_CHANNEL} connection failed`, error);
    }
  }
}
