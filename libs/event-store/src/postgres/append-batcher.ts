/** One append as the grouped statement takes it: expected revision and JSON already as text. */
export interface GroupedAppend {
  readonly streamId: string;
  /** A decimal revision, or EXPECTED_ANY / EXPECTED_NO_STREAM / EXPECTED_STREAM_EXISTS. */
  readonly expected: string;
  readonly ids: readonly string[];
  readonly types: readonly string[];
  readonly data: readonly string[];
  readonly metadata: readonly string[];
}

/**
 * What the statement says about one append (APPEND_ONE in postgres-event-store.sql.ts): the
 * stream's revision before it, and, when it was written, its last revision and position.
 */
export interface AppendOutcomeRow {
  readonly actual: string;
  readonly revision: string | null;
  readonly transaction_id: string | null;
  readonly global_position: string | null;
}

/** Runs appends as ONE statement (one transaction); resolves with one outcome per append, in order. */
export type RunAppendGroup = (appends: readonly GroupedAppend[]) => Promise<readonly AppendOutcomeRow[]>;

export interface AppendBatcherSettings {
  /** Grouped statements running at once. While they run, new appends queue up for the next group. */
  readonly maxInFlight: number;
  /** Appends in one statement at most. */
  readonly maxGroupSize: number;
}

export const DEFAULT_APPEND_BATCHER_SETTINGS: AppendBatcherSettings = { maxInFlight: 2, maxGroupSize: 64 };

interface Pending {
  readonly append: GroupedAppend;
  readonly resolve: (row: AppendOutcomeRow) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for appends. An append that finds a free slot runs at once, alone (no added
 * latency when the store is quiet); appends that arrive while `maxInFlight` statements run wait
 * and then go together, as one statement and one commit, so N concurrent appends cost about one
 * commit (one WAL flush) instead of N.
 *
 * Appends to one stream run one at a time, in the order they came: an append to a stream that has
 * one in flight (or one earlier in the queue) waits for it, so it sees it committed. The statement
 * reads each stream's head once, from its snapshot, takes no lock and cannot see an append to the
 * same stream in the same statement or in a statement still running (see the migration
 * 1764001100000-append-without-locks): without this, a caller that sends the next append before
 * the first one's answer, with the revision it will have, would get a spurious conflict.
 *
 * Each caller gets exactly its own append's outcome. A statement fails or succeeds as a whole, so
 * when a group fails (an event id already stored, a revision another process took first, a bad
 * value in one append) nothing of it was written, and its appends are run again one by one, in
 * order: each then gets its own result or its own error, and one bad append cannot fail the
 * others. If the failure hid a commit (a connection lost after COMMIT), the retries find their
 * event ids stored and the caller's idempotency check returns the original results.
 */
export class AppendBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  /** Streams with an append in a statement that has not finished. */
  private readonly busyStreams = new Set<string>();
  private readonly settings: AppendBatcherSettings;

  constructor(
    private readonly run: RunAppendGroup,
    settings: Partial<AppendBatcherSettings> = {},
  ) {
    this.settings = { ...DEFAULT_APPEND_BATCHER_SETTINGS, ...settings };
    if (!(Number.isSafeInteger(this.settings.maxInFlight) && this.settings.maxInFlight >= 1)) {
      throw new RangeError(`maxInFlight must be a positive integer, got ${this.settings.maxInFlight}`);
    }
    if (!(Number.isSafeInteger(this.settings.maxGroupSize) && this.settings.maxGroupSize >= 1)) {
      throw new RangeError(`maxGroupSize must be a positive integer, got ${this.settings.maxGroupSize}`);
    }
  }

  append(append: GroupedAppend): Promise<AppendOutcomeRow> {
    return new Promise<AppendOutcomeRow>((resolve, reject) => {
      this.queue.push({ append, resolve, reject });
      this.drain();
    });
  }

  /** Appends waiting for a slot (for tests and diagnostics). */
  get waiting(): number {
    return this.queue.length;
  }

  private drain(): void {
    while (this.inFlight < this.settings.maxInFlight && this.queue.length > 0) {
      const group = this.takeGroup();
      // Everything waiting is behind an append to the same stream that is still running.
      if (group.length === 0) return;
      const streams = group.map((pending) => pending.append.streamId);
      for (const stream of streams) this.busyStreams.add(stream);
      this.inFlight += 1;
      void this.runGroup(group).finally(() => {
        this.inFlight -= 1;
        for (const stream of streams) this.busyStreams.delete(stream);
        this.drain();
      });
    }
  }

  /**
   * The first appends of the queue (at most maxGroupSize) whose streams are neither running nor
   * already in the group; the rest keep their order. A skipped stream stays skipped for the rest
   * of the pass (it is in the group or running), so each stream's appends keep their order.
   */
  private takeGroup(): Pending[] {
    const group: Pending[] = [];
    const inGroup = new Set<string>();
    const rest: Pending[] = [];
    for (const pending of this.queue) {
      const stream = pending.append.streamId;
      if (group.length < this.settings.maxGroupSize && !this.busyStreams.has(stream) && !inGroup.has(stream)) {
        group.push(pending);
        inGroup.add(stream);
      } else {
        rest.push(pending);
      }
    }
    this.queue = rest;
    return group;
  }

  private async runGroup(group: readonly Pending[]): Promise<void> {
    let rows: readonly AppendOutcomeRow[];
    try {
      rows = await this.run(group.map((pending) => pending.append));
    } catch (error) {
      if (group.length === 1) {
        group[0]?.reject(error);
        return;
      }
      for (const pending of group) await this.runAlone(pending);
      return;
    }
    if (rows.length !== group.length) {
      const error = new Error(`A group of ${group.length} appends returned ${rows.length} outcomes`);
      for (const pending of group) pending.reject(error);
      return;
    }
    group.forEach((pending, index) => pending.resolve(rows[index] as AppendOutcomeRow));
  }

  private async runAlone(pending: Pending): Promise<void> {
    try {
      const rows = await this.run([pending.append]);
      const row = rows[0];
      if (rows.length !== 1 || !row) throw new Error(`An append to "${pending.append.streamId}" returned ${rows.length} outcomes`);
      pending.resolve(row);
    } catch (error) {
      pending.reject(error);
    }
  }
}
