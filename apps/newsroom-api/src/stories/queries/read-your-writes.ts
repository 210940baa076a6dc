import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { READ_MODEL_SCHEMA } from '@newsroom/read-models';
import { type NewsroomConfig } from '../../config/newsroom-config';
import { NEWSROOM_CONFIG } from '../../infrastructure/tokens';
import { ReadModelBehind } from '../../shared/http/edge-errors';
import { JsonLogger } from '../../shared/observability/json-logger';
import { readModelPool } from './read-model-pool';

/** The projector NOTIFYs this channel after each batch it commits (the payload may be empty). */
export const READ_MODELS_ADVANCED = 'read_models_advanced';

/** Re-checks this often even without a notification, so a missed NOTIFY costs at most this much. */
const POLL_MS = 50;
/** After the LISTEN connection fails, polling alone carries on for this long before another try. */
const RECONNECT_AFTER_MS = 1000;

/**
 * Read-your-writes for `?minRevision=N`: the client wrote revision N and wants a read that
 * includes it. Waits until the story's projected revision reaches N (woken by the projector's
 * NOTIFY, with a short poll as the fallback), or answers 503 READ_MODEL_BEHIND with Retry-After
 * once the configured wait (5 s by default) is over. The LISTEN connection is opened on the first
 * wait, so an API that is never asked to wait holds no extra connection.
 */
@Injectable()
export class ReadYourWrites implements OnApplicationShutdown {
  private listener: Promise<Client | undefined> | undefined;
  private listenerFailedAt = 0;
  private closed = false;
  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(NEWSROOM_CONFIG) private readonly config: NewsroomConfig,
    private readonly logger: JsonLogger,
  ) {}

  /** Returns once the read model holds the story at `minRevision` or later; does nothing without one. */
  async awaitRevision(storyId: string, minRevision: number | undefined): Promise<void> {
    if (minRevision === undefined) return;
    const started = Date.now();
    const deadline = started + this.config.readYourWritesTimeoutMs;
    for (;;) {
      const projected = await this.projectedRevision(storyId);
      if (projected >= minRevision) return;
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) throw new ReadModelBehind(minRevision, projected, Date.now() - started);
      this.listen();
      await this.nextSignal(Math.min(POLL_MS, left));
    }
  }

  /** 0 while the story is not projected at all (it may have just been opened). */
  private async projectedRevision(storyId: string): Promise<number> {
    const { rows } = await readModelPool(this.dataSource).query<{ revision: number }>(`SELECT revision FROM ${READ_MODEL_SCHEMA}.stories WHERE story_id = $1`, [storyId]);
    return rows[0]?.revision ?? 0;
  }

  private nextSignal(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  private listen(): void {
    if (this.listener || this.closed || Date.now() - this.listenerFailedAt < RECONNECT_AFTER_MS) return;
    this.listener = this.connect().catch((error: unknown) => {
      this.dropListener(error);
      return undefined;
    });
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.config.databaseUrl, application_name: 'newsroom-api-read-your-writes' });
    client.on('notification', () => this.wakeAll());
    client.on('error', (error: unknown) => {
      this.dropListener(error);
      client.end().catch(() => undefined);
    });
    await client.connect();
    try {
      await client.query(`LISTEN ${READ_MODELS_ADVANCED}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return client;
  }

  private dropListener(error: unknown): void {
    this.listener = undefined;
    this.listenerFailedAt = Date.now();
    if (!this.closed) {
      this.logger.warn('read-your-writes LISTEN connection lost; polling until it is back', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.wakeAll();
    const client = await this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
  }
}
