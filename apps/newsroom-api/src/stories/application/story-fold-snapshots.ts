import { type BeforeApplicationShutdown } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type OpenedStory, STORY_STATE_SNAPSHOT_VERSION, storyStateFromJson, storyStateJsonPieces } from '@newsroom/domain';
import { type FoldedStory } from './story-state.cache';

/** Where snapshots are kept: the read-model database, as TypeORM's DataSource (whose `query` answers the rows). */
export interface SnapshotDatabase {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export interface SnapshotLogger {
  warn(message: string, fields: Record<string, unknown>): void;
}

/** A snapshot every this many events of a story (more apart for very long stories: `snapshotDue`). */
export const DEFAULT_SNAPSHOT_EVERY = 1_000;

/** A story longer than twice this many intervals gets its snapshot points further apart. */
const INTERVALS_BEFORE_GROWING = 10;

/** Developments, claims, sources or corrections serialised per event-loop turn when saving. */
const ENTRIES_PER_TURN = 2_000;

/**
 * Whether a fold that went from revision `before` to `after` passed a snapshot point. The points
 * are `every` events apart for the first 20 x `every` events; after that the spacing doubles each
 * time the story's length does, so it stays between a twentieth and a tenth of the length. A
 * snapshot costs what the story weighs: points a fixed number of events apart would make the
 * average write cost grow with the story's length. This way it stays flat (about 15 entries
 * serialised per event at any length), and a fresh process reads at most a tenth of a long story
 * after its snapshot.
 */
export function snapshotDue(before: number, after: number, every: number): boolean {
  let interval = every;
  while (after >= 2 * INTERVALS_BEFORE_GROWING * interval) interval *= 2;
  return Math.floor(after / interval) > Math.floor(before / interval);
}

interface SnapshotRow {
  revision: number;
  last_hash: string;
  state: unknown;
}

/**
 * Snapshots of long stories' folds, so that the first write to a story in a fresh process reads
 * the newest snapshot and the events after it instead of the whole stream. A snapshot is taken
 * when a fold passes a snapshot point (`snapshotDue`: every `every` events, further apart for
 * very long stories; on a write, or on a first read of a long story) and saved in the
 * background, a piece per event-loop turn: the write never waits for it, and a failed save is
 * logged and changes nothing. Reading one never fails a write either: any problem means "no snapshot".
 * The caller checks a snapshot against the stream (the hash of the event it ends at) before use.
 */
export class StoryFoldSnapshots implements BeforeApplicationShutdown {
  private readonly saving = new Set<Promise<void>>();

  constructor(
    private readonly db: SnapshotDatabase,
    private readonly logger: SnapshotLogger,
    readonly every: number = DEFAULT_SNAPSHOT_EVERY,
  ) {
    if (!(Number.isSafeInteger(every) && every > 0)) throw new RangeError(`snapshot interval must be a positive integer, got ${every}`);
  }

  /** The newest usable snapshot of the stream, or undefined (none, another state version, unreadable). */
  async load(streamId: string): Promise<FoldedStory | undefined> {
    let rows: SnapshotRow[];
    try {
      rows = (await this.db.query(`SELECT revision, last_hash, state FROM api.story_fold_snapshots WHERE stream_id = $1 AND state_version = $2`, [
        streamId,
        STORY_STATE_SNAPSHOT_VERSION,
      ])) as SnapshotRow[];
    } catch (error) {
      this.logger.warn('story fold snapshot could not be read; folding the whole stream', { streamId, error: String(error) });
      return undefined;
    }
    const row = rows[0];
    if (!row) return undefined;
    const state = storyStateFromJson(row.state);
    if (state === undefined) {
      this.logger.warn('story fold snapshot is not a state this version writes; folding the whole stream', { streamId, revision: row.revision });
      return undefined;
    }
    return { state, revision: row.revision, lastHash: row.last_hash };
  }

  /** Saves a snapshot of `after` in the background when going from `before` to it passed a snapshot point (`snapshotDue`). */
  offer(streamId: string, before: number, after: FoldedStory): void {
    if (after.state.status === 'absent' || !snapshotDue(before, after.revision, this.every)) return;
    // After the current turn: serialising a long story's state is not the write's work, so its answer goes first.
    const { state } = after;
    const saved = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.save(streamId, after, state))
      .catch((error: unknown) => this.logger.warn('story fold snapshot was not saved', { streamId, revision: after.revision, error: String(error) }))
      .finally(() => this.saving.delete(saved));
    this.saving.add(saved);
  }

  /** Resolves when every save started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.saving]);
  }

  /** Before the database connections close: let the saves in flight finish. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  private async save(streamId: string, folded: FoldedStory, state: OpenedStory): Promise<void> {
    // A piece per turn: a long story's state is megabytes of JSON, and serialising it at once
    // would hold up every request behind it (tens of milliseconds at 30,000 developments).
    const pieces: string[] = [];
    for (const piece of storyStateJsonPieces(state, ENTRIES_PER_TURN)) {
      pieces.push(piece);
      await nextTurn();
    }
    await this.db.query(
      `INSERT INTO api.story_fold_snapshots (stream_id, revision, state_version, last_hash, state)
       VALUES ($1, $2, $3, $4, $5::json)
       ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision, state_version = EXCLUDED.state_version,
         last_hash = EXCLUDED.last_hash, state = EXCLUDED.state, taken_at = now()
       WHERE api.story_fold_snapshots.revision < EXCLUDED.revision OR api.story_fold_snapshots.state_version < EXCLUDED.state_version`,
      [streamId, folded.revision, STORY_STATE_SNAPSHOT_VERSION, folded.lastHash, pieces.join('')],
    );
  }
}
