import { type Client } from 'pg';
import { now } from './latency';

interface Awaited {
  /** 1-based revision the read model must reach. */
  readonly revision: number;
  readonly committedAt: number;
  readonly measured: boolean;
}

export interface LagSample {
  /** When the event's append returned (the `now()` clock). */
  readonly committedAt: number;
  readonly lagMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Watches the read model for appended events: every `pollMs` (from the start of one poll to the
 * next) one query over the stories that still have events to show,
 * `SELECT revision FROM read_model.stories WHERE story_id = ANY(...)`. An event is visible at the
 * instant the first poll that sees its revision was sent: that query's snapshot was taken then,
 * and the poll before it did not see the event, so the figure is exact to within one poll interval.
 */
export class VisibilityPoller {
  private readonly awaiting = new Map<string, Awaited[]>();
  private readonly lags: LagSample[] = [];
  private stopped = false;
  private loop: Promise<void> | null = null;
  /** Events that showed up in a poll sent before their append had returned to us (lag counted as 0). */
  beforeAppendReturned = 0;
  polls = 0;
  private pollTimeMs = 0;
  private error: unknown = null;

  constructor(
    private readonly client: Client,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.loop ??= this.run().catch((error: unknown) => {
      this.error = error;
    });
  }

  /** Stops polling; throws what stopped it early, if anything did. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    this.check();
  }

  /** Throws if polling has failed. */
  check(): void {
    if (this.error !== null) throw this.error instanceof Error ? this.error : new Error('the visibility poll failed', { cause: this.error });
  }

  /** An append committed (its call returned at `committedAt`): the story must reach `revision`. */
  expect(storyId: string, revision: number, committedAt: number, measured: boolean): void {
    const list = this.awaiting.get(storyId) ?? [];
    list.push({ revision, committedAt, measured });
    this.awaiting.set(storyId, list);
  }

  /** Events appended but not yet seen in the read model. */
  get outstanding(): number {
    let n = 0;
    for (const list of this.awaiting.values()) n += list.length;
    return n;
  }

  /** Lags of the measured events seen so far, and forgets them. */
  takeLags(): LagSample[] {
    return this.lags.splice(0, this.lags.length);
  }

  /** Forgets the events still awaited; returns how many measured ones there were. */
  abandon(): number {
    let measured = 0;
    for (const list of this.awaiting.values()) measured += list.filter((a) => a.measured).length;
    this.awaiting.clear();
    return measured;
  }

  /** Mean wall time of one poll query, in ms. */
  get meanPollMs(): number {
    return this.polls === 0 ? Number.NaN : this.pollTimeMs / this.polls;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const sentAt = now();
      if (this.awaiting.size > 0) await this.poll(sentAt);
      const wait = this.pollMs - (now() - sentAt);
      if (wait > 0) await sleep(wait);
    }
  }

  private async poll(sentAt: number): Promise<void> {
    const ids = [...this.awaiting.keys()];
    const { rows } = await this.client.query<{ story_id: string; revision: number }>(
      'SELECT story_id::text AS story_id, revision FROM read_model.stories WHERE story_id = ANY($1::uuid[])',
      [ids],
    );
    this.polls += 1;
    this.pollTimeMs += now() - sentAt;
    for (const row of rows) {
      const list = this.awaiting.get(row.story_id);
      if (!list) continue;
      let seen = 0;
      while (seen < list.length && (list[seen] as Awaited).revision <= row.revision) {
        const event = list[seen] as Awaited;
        if (event.measured) {
          const lag = sentAt - event.committedAt;
          if (lag < 0) this.beforeAppendReturned += 1;
          this.lags.push({ committedAt: event.committedAt, lagMs: Math.max(0, lag) });
        }
        seen += 1;
      }
      if (seen === list.length) this.awaiting.delete(row.story_id);
      else if (seen > 0) list.splice(0, seen);
    }
  }
}
