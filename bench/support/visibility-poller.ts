import { type Client } from 'pg';
import { comparePositions, type Position } from '@newsroom/event-store';
import { STORY_PROJECTION } from '@newsroom/read-models';
import { now } from './latency';

interface Awaited {
  /** 1-based revision the read model must reach. */
  readonly revision: number;
  /** The event's position in the log, as its append returned it. */
  readonly position: Position;
  readonly committedAt: number;
  readonly measured: boolean;
}

export interface LagSample {
  /** When the event's append returned (the `now()` clock). */
  readonly committedAt: number;
  readonly lagMs: number;
}

/**
 * What a poll reads to tell which events are visible.
 * - `checkpoint`: the story projection's checkpoint row, one primary-key read whatever the backlog.
 *   The projector writes the read models and moves the checkpoint in one transaction, so a snapshot
 *   that shows the checkpoint at or past an event's position shows that event's rows too.
 * - `stories`: `SELECT revision FROM read_model.stories WHERE story_id = ANY(...)` over every story
 *   with events still to show: the rows themselves, but the query grows with the backlog (at
 *   2,000/s, hundreds of stories, every poll), and its PostgreSQL time is taken from the projector.
 */
/** Whether a poll saw one of a story's awaited events. */
type Shows = (storyId: string, event: Awaited) => boolean;

export type VisibilityProbe = 'checkpoint' | 'stories';

export const VISIBILITY_PROBES: readonly VisibilityProbe[] = ['checkpoint', 'stories'];

/** The revision each of `storyIds` shows in read_model.stories (absent: no row yet). */
export async function storyRevisions(client: Client, storyIds: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await client.query<{ story_id: string; revision: number }>(
    'SELECT story_id::text AS story_id, revision FROM read_model.stories WHERE story_id = ANY($1::uuid[])',
    [storyIds],
  );
  return new Map(rows.map((row) => [row.story_id, row.revision]));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Watches the read models for appended events: every `pollMs` (from the start of one poll to the
 * next) one query, by `probe`. An event is visible at the instant the first poll that sees it was
 * sent: that query's snapshot was taken then, and the poll before it did not see the event, so
 * the figure is exact to within one poll interval.
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
    readonly probe: VisibilityProbe,
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

  /** An append committed (its call returned at `committedAt`): the story must reach `revision`, the checkpoint `position`. */
  expect(storyId: string, revision: number, position: Position, committedAt: number, measured: boolean): void {
    const list = this.awaiting.get(storyId) ?? [];
    list.push({ revision, position, committedAt, measured });
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
    const shows = this.probe === 'checkpoint' ? await this.pollCheckpoint() : await this.pollStories();
    this.polls += 1;
    this.pollTimeMs += now() - sentAt;
    for (const [storyId, list] of this.awaiting) {
      // A story's events become visible in the order they were appended: count the leading ones.
      let visible = 0;
      while (visible < list.length && shows(storyId, list[visible] as Awaited)) visible += 1;
      if (visible === 0) continue;
      for (let i = 0; i < visible; i += 1) {
        const event = list[i] as Awaited;
        if (!event.measured) continue;
        const lag = sentAt - event.committedAt;
        if (lag < 0) this.beforeAppendReturned += 1;
        this.lags.push({ committedAt: event.committedAt, lagMs: Math.max(0, lag) });
      }
      if (visible === list.length) this.awaiting.delete(storyId);
      else list.splice(0, visible);
    }
  }

  /** An event is visible once the checkpoint is at or past its position. */
  private async pollCheckpoint(): Promise<Shows> {
    const { rows } = await this.client.query<{ position_commit: string; position_prepare: string }>(
      'SELECT position_commit::text, position_prepare::text FROM read_model.projection_checkpoints WHERE projection = $1',
      [STORY_PROJECTION],
    );
    const row = rows[0];
    if (!row) return () => false;
    const checkpoint: Position = { commit: BigInt(row.position_commit), prepare: BigInt(row.position_prepare) };
    return (_storyId, event) => comparePositions(event.position, checkpoint) <= 0;
  }

  /** An event is visible once its story's row in read_model.stories has reached its revision. */
  private async pollStories(): Promise<Shows> {
    const revisions = await storyRevisions(this.client, [...this.awaiting.keys()]);
    return (storyId, event) => event.revision <= (revisions.get(storyId) ?? 0);
  }
}
