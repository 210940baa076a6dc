import { type Submittable } from 'pg';
import { type RecordedEvent } from '@newsroom/event-store';
import { assertSchemaName } from '../schema/read-model.ddl';
import {
  byStory,
  claimRow,
  type CopyTable,
  copySql,
  copyText,
  developmentRow,
  type ProjectedEvent,
  projectEvent,
  sourceRow,
  storyIdOf,
  storyRow,
  type WriteTable,
  writeParameters,
  writeSql,
} from '../projections/story-read-models.projection';
import { type StorySnapshot } from '../story-snapshot';
import { CopyIn } from './copy-in';

/** A connection of its own (node-postgres' client); the loader sends it one statement at a time. */
export interface PipelinedConnection {
  query(sql: string, parameters?: unknown[]): Promise<{ rows: unknown[] }>;
  /** A statement with its own protocol flow (CopyIn). */
  query<T extends Submittable>(submittable: T): T;
}

export interface BulkStoryLoaderOptions {
  readonly schema: string;
  /**
   * Connections of its own, at least one. Each story's rows all go through the same one, so
   * the work is shared out evenly and a story's statements stay in order; the first also takes
   * the scratch table and the rare read of an evicted story.
   */
  readonly connections: readonly PipelinedConnection[];
  /** Stories whose state is kept in memory; the least recently touched is written out beyond it. */
  readonly maxStories?: number;
  /**
   * A story not touched for this many events has its rows written while its state stays in
   * memory, so that the end of the load has little left to write (touched again, it is written
   * again later).
   */
  readonly quietAfterEvents?: number;
  /** Rows collected for a table before they go out as one statement. */
  readonly rowsPerStatement?: number;
  /**
   * Statements sent on a connection and not yet answered, before the loader waits. node-postgres
   * sends a connection's statements one at a time; the queue keeps the next ones ready (8 of 1,000
   * rows each loaded 100,000 events in 7.4 s where 2 of 2,000 took 9.2, medians of 5-6 runs).
   */
  readonly maxInFlight?: number;
}

/**
 * Queues statements for one connection without the loader waiting for each, at most
 * `maxInFlight` unfinished: PostgreSQL works on one while the loader folds the next events. They
 * run one after the other, in order. The first failure is thrown by the next call (and by
 * drain), so nothing fails silently.
 */
class WriteLane {
  private readonly inFlight: Promise<unknown>[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly connection: PipelinedConnection,
    private readonly maxInFlight: number,
  ) {}

  /** Runs `statement` on the connection once everything sent before it has finished. */
  async send(statement: (connection: PipelinedConnection) => Promise<unknown>): Promise<void> {
    this.throwIfFailed();
    const sent = this.tail.then(() => statement(this.connection));
    this.tail = sent.catch(() => undefined);
    sent.catch((error: unknown) => {
      this.failure ??= { error };
    });
    this.inFlight.push(sent);
    while (this.inFlight.length > this.maxInFlight) await this.inFlight.shift()?.catch(() => undefined);
    this.throwIfFailed();
  }

  async drain(): Promise<void> {
    while (this.inFlight.length > 0) await this.inFlight.shift()?.catch(() => undefined);
    this.throwIfFailed();
  }

  /** Waits for everything sent, ignoring failures (for cleanup after an error). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.inFlight.splice(0));
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}

type Row = Record<string, unknown>;

/** A connection's lane with the rows collected for it, per table. */
interface Lane {
  readonly wire: WriteLane;
  pending: Record<WriteTable, Row[]>;
  /** Stories with rows among the pending upserts: one statement may not upsert a row twice. */
  readonly pendingStories: Set<string>;
}

/** The tables whose rows are a story's current state, written with upserts. */
const STATE_TABLES: readonly WriteTable[] = ['developments', 'claims', 'sources', 'stories'];

const emptyTables = (): Record<WriteTable, Row[]> => ({
  revisions: [],
  claimHistory: [],
  corrections: [],
  developments: [],
  claims: [],
  sources: [],
  stories: [],
});

/** The fold gives the event loop a turn this often, so that answers are read and the next statements sent. */
const YIELD_EVERY_MS = 2;

/** Where evicted stories' states wait while the log is read (see BulkStoryLoader). */
const STATE_TABLE = 'bulk_story_states';

/**
 * The JSON sent to the scratch table in one statement, at most (about): a statement's states are
 * held as text, then as node-postgres' array literal, then as the message's bytes, and 2,000
 * stories of 50 KB made each statement a few hundred MB.
 */
const STATE_CHARS_PER_STATEMENT = 8 * 1024 * 1024;

const COPY_TABLES: ReadonlySet<WriteTable> = new Set<CopyTable>(['revisions', 'claimHistory', 'corrections']);
const isCopyTable = (table: WriteTable): table is CopyTable => COPY_TABLES.has(table);

/**
 * The rebuild's loader: the live projection's fold (projectEvent, the same pure function and the
 * same INSERT statements), with the read model's current state kept in memory instead of read
 * back and rewritten at every batch.
 *
 * - A story's state stays in memory while it is among the `maxStories` most recently touched.
 *   Its `stories` row and its developments, claims and sources are written in their final form
 *   once it has been quiet for `quietAfterEvents` events, when it is evicted, or at the end,
 *   instead of at every batch that touches it.
 * - Revisions, claim history and corrections go out as they come, `rowsPerStatement`
 *   at a time, as `COPY ... FROM STDIN`: these tables have no key during the load and every row
 *   is new, so they need none of INSERT's conflict handling, and COPY's text costs less to write
 *   and to parse than array parameters.
 * - Statements are pipelined on the connections, a story's rows always on the same one: the
 *   server works on each connection's statement while the loader folds the next events, and the
 *   fold gives the event loop a turn every few milliseconds so that the next statement goes out
 *   as soon as the one before is answered.
 * - A story evicted while the log is still being read keeps its state in a scratch table
 *   (`bulk_story_states`, unlogged, dropped at the end): the read models keep no current snapshot
 *   (a story is its newest keyframe and the patches after it), and the revisions table has no
 *   index yet to find those by. A story touched again after its eviction (a log where stories stay
 *   open for long) is read back from there once everything sent so far has landed. The tables a
 *   story's rows are written to again take upserts, exactly like the live projection's.
 *
 * Memory holds at most `maxStories` snapshots, the rows of one statement per table and lane and
 * the statements in flight, plus the ids of stories already written out.
 *
 * The caller owns transactions and the checkpoint: the statements run in autocommit on the given
 * connections, into a schema nobody reads until the rebuild swaps it in.
 */
export class BulkStoryLoader {
  private readonly sql: Record<WriteTable, string>;
  private readonly stories = new Map<string, StorySnapshot>();
  /** Stories whose rows were written at least once: later writes of them must be upserts, and an evicted one is read back. */
  private readonly written = new Set<string>();
  /** Stories in memory with rows not yet written, least recently touched first, with the event count at that touch. */
  private readonly unwritten = new Map<string, number>();
  private readonly lanes: Lane[];
  private readonly maxStories: number;
  private readonly quietAfterEvents: number;
  private readonly rowsPerStatement: number;
  private readonly schema: string;
  private applied = 0;
  private writtenWhileQuiet = 0;
  /** Bytes of the last COPY's data per table. */
  private readonly copyBytes = new Map<CopyTable, number>();
  /** Evicted stories' states not yet sent to the scratch table, as JSON, and their length. */
  private evictedStates: { storyId: string; json: string }[] = [];
  private evictedStateChars = 0;
  private stateTableCreated = false;
  /** The first connection: the scratch table's statements and reads go through it. */
  private readonly stateConnection: PipelinedConnection;

  constructor(options: BulkStoryLoaderOptions) {
    this.schema = assertSchemaName(options.schema);
    this.sql = writeSql(this.schema, { keyed: false });
    const maxInFlight = options.maxInFlight ?? 8;
    const [first] = options.connections;
    if (first === undefined) throw new Error('BulkStoryLoader needs at least one connection');
    this.stateConnection = first;
    this.lanes = options.connections.map((connection) => ({ wire: new WriteLane(connection, maxInFlight), pending: emptyTables(), pendingStories: new Set<string>() }));
    this.maxStories = options.maxStories ?? 1_000;
    this.quietAfterEvents = options.quietAfterEvents ?? 5_000;
    this.rowsPerStatement = options.rowsPerStatement ?? 1_000;
  }

  /** Story events applied so far (other streams' events and redeliveries are not counted). */
  get eventsApplied(): number {
    return this.applied;
  }

  /** How many times a story's rows were written because it had been quiet (before its eviction or the end). */
  get storiesWrittenWhileQuiet(): number {
    return this.writtenWhileQuiet;
  }

  /** Folds `events` (in the log's order) in; writes what is due. */
  async add(events: readonly RecordedEvent[]): Promise<void> {
    let turnStarted = performance.now();
    for (const [i, recorded] of events.entries()) {
      if (i % 32 === 31 && performance.now() - turnStarted >= YIELD_EVERY_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        turnStarted = performance.now();
      }
      const storyId = storyIdOf(recorded);
      if (storyId === null) continue;
      let before = this.stories.get(storyId);
      if (before === undefined) {
        before = this.written.has(storyId) ? await this.readBack(storyId) : undefined;
      } else {
        // Map order is the eviction order: least recently touched first.
        this.stories.delete(storyId);
      }
      const projected = projectEvent(storyId, before ?? null, recorded);
      if (!projected) {
        if (before) this.stories.set(storyId, before);
        continue;
      }
      this.stories.set(storyId, projected.after);
      this.applied += 1;
      this.unwritten.delete(storyId);
      this.unwritten.set(storyId, this.applied);
      await this.collect(storyId, projected);
      if (this.stories.size > this.maxStories) await this.evictOldest({ keepState: true });
      await this.writeQuietStories();
    }
  }

  /** Writes the rows of stories untouched for `quietAfterEvents` events; their state stays in memory. */
  private async writeQuietStories(): Promise<void> {
    for (const [storyId, touchedAt] of this.unwritten) {
      if (this.applied - touchedAt < this.quietAfterEvents) return;
      this.writtenWhileQuiet += 1;
      // Every unwritten story is in memory: an evicted one has its rows written as it leaves.
      await this.writeRows(storyId, this.stories.get(storyId) as StorySnapshot);
    }
  }

  /** Writes every story still in memory and everything pending, and waits until it has all landed. */
  async finish(): Promise<void> {
    // Nothing is read back after this, so these evictions keep no state.
    while (this.stories.size > 0) await this.evictOldest({ keepState: false });
    await this.land();
    if (this.stateTableCreated) await this.stateConnection.query(`DROP TABLE ${this.schema}.${STATE_TABLE}`);
  }

  /** Sends every pending row and waits until everything sent has landed. */
  private async land(): Promise<void> {
    for (const lane of this.lanes) {
      for (const table of Object.keys(lane.pending) as WriteTable[]) if (!STATE_TABLES.includes(table)) await this.send(lane, table);
      await this.sendStateTables(lane);
    }
    await this.sendStates();
    await Promise.all(this.lanes.map((lane) => lane.wire.drain()));
  }

  /** Waits for every statement sent to finish, failed or not: the connections can then be reused. */
  async settle(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.wire.settle()));
  }

  private async collect(storyId: string, projected: ProjectedEvent): Promise<void> {
    const lane = this.laneOf(storyId);
    await this.push(lane, 'revisions', projected.revision);
    if (projected.claimStep) await this.push(lane, 'claimHistory', projected.claimStep);
    if (projected.correction) await this.push(lane, 'corrections', projected.correction);
  }

  /** The story's lane: from the last characters of its id (a UUID's are random), so it never changes. */
  private laneOf(storyId: string): Lane {
    const lanes = this.lanes;
    if (lanes.length === 1) return lanes[0] as Lane;
    let hash = 0;
    for (let i = Math.max(0, storyId.length - 4); i < storyId.length; i += 1) hash = hash * 31 + storyId.charCodeAt(i);
    return lanes[hash % lanes.length] as Lane;
  }

  private async evictOldest({ keepState }: { keepState: boolean }): Promise<void> {
    const oldest = this.stories.entries().next();
    if (oldest.done) return;
    const [storyId, snapshot] = oldest.value;
    this.stories.delete(storyId);
    if (keepState) {
      const json = JSON.stringify(snapshot);
      this.evictedStates.push({ storyId, json });
      this.evictedStateChars += json.length;
      if (this.evictedStates.length >= this.rowsPerStatement || this.evictedStateChars >= STATE_CHARS_PER_STATEMENT) await this.sendStates();
    }
    if (this.unwritten.has(storyId)) await this.writeRows(storyId, snapshot);
  }

  /** The story's rows as its state has them now. */
  private async writeRows(storyId: string, snapshot: StorySnapshot): Promise<void> {
    this.unwritten.delete(storyId);
    this.written.add(storyId);
    const lane = this.laneOf(storyId);
    if (lane.pendingStories.has(storyId)) await this.sendStateTables(lane);
    lane.pendingStories.add(storyId);
    for (const development of snapshot.developments) await this.push(lane, 'developments', developmentRow(storyId, development));
    for (const claim of snapshot.claims) await this.push(lane, 'claims', claimRow(storyId, claim));
    for (const source of snapshot.sources) await this.push(lane, 'sources', sourceRow(storyId, source));
    await this.push(lane, 'stories', storyRow(snapshot));
  }

  private async push(lane: Lane, table: WriteTable, row: Row): Promise<void> {
    const rows = lane.pending[table];
    rows.push(row);
    if (rows.length < this.rowsPerStatement) return;
    if (STATE_TABLES.includes(table)) await this.sendStateTables(lane);
    else await this.send(lane, table);
  }

  /** The lane's pending upserts, all four tables together, so that no story is left half pending. */
  private async sendStateTables(lane: Lane): Promise<void> {
    lane.pendingStories.clear();
    for (const table of STATE_TABLES) await this.send(lane, table);
  }

  private async send(lane: Lane, table: WriteTable): Promise<void> {
    const rows = lane.pending[table];
    if (rows.length === 0) return;
    lane.pending[table] = [];
    if (isCopyTable(table)) {
      // Each story's rows side by side in the heap, so that a story's history reads few pages.
      rows.sort(byStory);
      const sql = copySql(this.schema, table);
      // A little more than the last statement's data for the table, so its buffer rarely grows.
      const text = copyText(table, rows, Math.ceil((this.copyBytes.get(table) ?? 0) * 1.25));
      this.copyBytes.set(table, text.length);
      await lane.wire.send((connection) => connection.query(new CopyIn(sql, text)).done);
    } else {
      const sql = this.sql[table];
      const parameters = writeParameters(table, rows);
      await lane.wire.send((connection) => connection.query(sql, parameters));
    }
  }

  /** Evicted stories' states, upserted into the scratch table (created with the first of them) on the first lane. */
  private async sendStates(): Promise<void> {
    const states = this.evictedStates;
    if (states.length === 0) return;
    this.evictedStates = [];
    this.evictedStateChars = 0;
    const table = `${this.schema}.${STATE_TABLE}`;
    const lane = (this.lanes[0] as Lane).wire;
    if (!this.stateTableCreated) {
      this.stateTableCreated = true;
      await lane.send((connection) => connection.query(`CREATE UNLOGGED TABLE ${table} (story_id uuid PRIMARY KEY, snapshot json NOT NULL)`));
    }
    const parameters = [states.map((state) => state.storyId), states.map((state) => state.json)];
    await lane.send((connection) =>
      connection.query(
        `INSERT INTO ${table} SELECT * FROM unnest($1::uuid[], $2::json[]) ON CONFLICT (story_id) DO UPDATE SET snapshot = EXCLUDED.snapshot`,
        parameters,
      ),
    );
  }

  /** A story written out earlier and touched again: its state when it was evicted, once everything sent has landed. */
  private async readBack(storyId: string): Promise<StorySnapshot | undefined> {
    await this.land();
    const { rows } = await this.stateConnection.query(`SELECT snapshot FROM ${this.schema}.${STATE_TABLE} WHERE story_id = $1`, [storyId]);
    return (rows as { snapshot: StorySnapshot }[])[0]?.snapshot;
  }
}
