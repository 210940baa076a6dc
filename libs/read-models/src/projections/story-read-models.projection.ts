import { STORY_STREAM_PREFIX, toStoryEvent, type StoryEvent } from '@newsroom/domain';
import { type RecordedEvent } from '@newsroom/event-store';
import { assertSchemaName } from '../schema/read-model.ddl';
import {
  applyToSnapshot,
  type ClaimView,
  describeChanges,
  type DevelopmentView,
  diffJson,
  type EventFacts,
  type SourceView,
  type StorySnapshot,
  summarizeEvent,
} from '../story-snapshot';
import { type Queryable } from './queryable';
import { type Statement } from './statement';
import { currentStates } from './snapshot-at';
import { type CommittedStory } from './story-state-cache';

export const STORY_PROJECTION = 'story-read-models';

/** Every this-many revisions (and at revision 1) the full snapshot is stored; between them, a JSON Patch per revision. */
export const KEYFRAME_INTERVAL = 32;

export const isKeyframe = (revision: number): boolean => revision === 1 || revision % KEYFRAME_INTERVAL === 0;

export class ProjectionError extends Error {
  constructor(
    message: string,
    readonly eventId: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProjectionError';
  }
}

type Row = Record<string, unknown>;

/**
 * What one event adds to the read models besides the story's new state: its revision row (the
 * audit log is a view of the revisions), and its claim-history and correction rows when it has
 * them. Pure; the live projection and the rebuild's bulk loader both build their writes from it,
 * so the two cannot drift apart.
 */
export interface ProjectedEvent {
  readonly storyId: string;
  readonly event: StoryEvent;
  readonly after: StorySnapshot;
  readonly revision: Row;
  readonly claimStep: Row | null;
  readonly correction: Row | null;
  /** The length of the revision's patch as JSON, and of the keyframe's (null: not a keyframe). */
  readonly jsonLengths: { readonly patch: number; readonly keyframe: number | null };
}

/**
 * `after`'s JSON length, estimated for a cache's budget from `before`'s (see currentStates): exact
 * at a keyframe, else the story's estimate so far plus the patch's length.
 */
export const jsonLengthAfter = (projected: ProjectedEvent, before: CommittedStory | null): number =>
  projected.jsonLengths.keyframe ?? (before?.jsonLength ?? 0) + projected.jsonLengths.patch;

function text(metadata: Record<string, unknown>, key: string): string | null {
  const value = metadata[key];
  return typeof value === 'string' ? value : null;
}

function factsOf(event: RecordedEvent): EventFacts {
  const recordedAt = text(event.metadata, 'recordedAt');
  const editorId = text(event.metadata, 'editorId');
  if (!recordedAt || !editorId) throw new ProjectionError(`Event ${event.eventId} lacks recordedAt or editorId metadata`, event.eventId);
  return { revision: Number(event.revision) + 1, recordedAt, editorId, reason: text(event.metadata, 'reason') };
}

/** The story id of a story stream's event, or null for any other stream. */
export function storyIdOf(event: RecordedEvent): string | null {
  return event.streamId.startsWith(STORY_STREAM_PREFIX) ? event.streamId.slice(STORY_STREAM_PREFIX.length) : null;
}

/**
 * Folds one recorded event of `storyId` into `before` (null: the story does not exist yet) and
 * describes every row it adds. Null when the story is already at or past the event's revision
 * (a redelivered event); a gap or an event the snapshot cannot take is a ProjectionError.
 */
export function projectEvent(storyId: string, before: StorySnapshot | null, recorded: RecordedEvent): ProjectedEvent | null {
  const facts = factsOf(recorded);
  const projectedRevision = before?.revision ?? 0;
  if (facts.revision <= projectedRevision) return null;
  if (facts.revision !== projectedRevision + 1) {
    throw new ProjectionError(`Story ${storyId}: event for revision ${facts.revision} after revision ${projectedRevision}`, recorded.eventId);
  }
  let event: StoryEvent;
  let after: StorySnapshot;
  try {
    event = toStoryEvent(recorded);
    after = applyToSnapshot(before, event, facts);
  } catch (error) {
    throw new ProjectionError(`Cannot project ${recorded.type} ${recorded.eventId}: ${error instanceof Error ? error.message : String(error)}`, recorded.eventId, { cause: error });
  }
  const patch = JSON.stringify(diffJson(before ?? {}, after));
  const keyframe = isKeyframe(facts.revision) ? JSON.stringify(after) : null;
  const revision: Row = {
    story_id: storyId,
    revision: facts.revision,
    event_id: recorded.eventId,
    event_type: recorded.type,
    recorded_at: facts.recordedAt,
    editor_id: facts.editorId,
    reason: facts.reason,
    correlation_id: text(recorded.metadata, 'correlationId'),
    causation_id: text(recorded.metadata, 'causationId'),
    summary: summarizeEvent(event, before, after, facts.editorId),
    changes: before ? describeChanges(before, after) : ['story opened'],
    patch: new JsonText(patch),
    snapshot: keyframe === null ? null : new JsonText(keyframe),
    hash: text(recorded.metadata, 'hash') ?? '',
    prev_hash: text(recorded.metadata, 'prevHash') ?? '',
  };
  let claimStep: Row | null = null;
  if (event.type === 'ClaimReported' || event.type === 'ClaimConfirmed' || event.type === 'ClaimDisputed' || event.type === 'ClaimRetracted') {
    const claimId = event.data.claimId;
    const step = after.claims.find((c) => c.id === claimId)?.history.at(-1);
    if (step) {
      claimStep = {
        story_id: storyId,
        claim_id: claimId,
        revision: facts.revision,
        status: step.status,
        at: step.at,
        editor_id: step.editorId,
        development_id: step.developmentId,
        attribution: step.attribution,
        reason: step.reason,
      };
    }
  }
  let correction: Row | null = null;
  if (event.type === 'CorrectionIssued') {
    const d = event.data;
    correction = {
      correction_id: d.correctionId,
      story_id: storyId,
      revision: facts.revision,
      target_type: d.target.type,
      target_id: 'id' in d.target ? d.target.id : null,
      kind: d.kind,
      note: d.note,
      corrected_text: d.correctedText ?? null,
      issued_at: facts.recordedAt,
      editor_id: facts.editorId,
    };
  }
  return { storyId, event, after, revision, claimStep, correction, jsonLengths: { patch: patch.length, keyframe: keyframe?.length ?? null } };
}

/** What one batch writes, collected first so each table gets one statement per batch. */
class BatchWrites {
  readonly revisions: Row[] = [];
  readonly claimHistory: Row[] = [];
  readonly corrections: Row[] = [];
  readonly dirtyDevelopments = new Map<string, Set<string>>();
  readonly dirtyClaims = new Map<string, Set<string>>();
  readonly newSources = new Map<string, Set<string>>();
  /** Each story the batch touches, in the state the batch leaves it. */
  readonly stories = new Map<string, CommittedStory>();

  mark(map: Map<string, Set<string>>, storyId: string, id: string): void {
    const set = map.get(storyId) ?? new Set<string>();
    set.add(id);
    map.set(storyId, set);
  }

  add(projected: ProjectedEvent, after: CommittedStory): void {
    this.stories.set(projected.storyId, after);
    touch(this, projected.storyId, projected.event);
    this.revisions.push(projected.revision);
    if (projected.claimStep) this.claimHistory.push(projected.claimStep);
    if (projected.correction) this.corrections.push(projected.correction);
  }
}

function touch(writes: BatchWrites, storyId: string, event: StoryEvent): void {
  switch (event.type) {
    case 'DevelopmentLogged':
      return writes.mark(writes.dirtyDevelopments, storyId, event.data.developmentId);
    case 'DevelopmentRetracted':
      return writes.mark(writes.dirtyDevelopments, storyId, event.data.developmentId);
    case 'ClaimReported':
    case 'ClaimConfirmed':
    case 'ClaimDisputed':
    case 'ClaimRetracted':
      return writes.mark(writes.dirtyClaims, storyId, event.data.claimId);
    case 'CorrectionIssued':
      if (event.data.target.type === 'development') writes.mark(writes.dirtyDevelopments, storyId, event.data.target.id);
      if (event.data.target.type === 'claim') writes.mark(writes.dirtyClaims, storyId, event.data.target.id);
      return;
    case 'SourceCited':
      return writes.mark(writes.newSources, storyId, event.data.sourceId);
    case 'StoryOpened':
    case 'HeadlineRevised':
    case 'SummaryRevised':
    case 'StoryPublished':
    case 'StoryWithdrawn':
      return;
    default: {
      const unhandled: never = event;
      throw new ProjectionError(`No read-model rule for ${(unhandled as { type: string }).type}`, null);
    }
  }
}

/**
 * Projects a batch of events (in global order) into the read models of `schema`. Idempotent: an
 * event at or below a story's projected revision is skipped, so replaying a batch changes nothing.
 * Runs inside the caller's transaction, which also moves the checkpoint.
 */
export async function projectStoryEvents(db: Queryable, schemaName: string, events: readonly RecordedEvent[]): Promise<number> {
  const prepared = await prepareStoryBatch(db, schemaName, events);
  for (const write of prepared.writes) await db.query(write.sql, [...write.parameters]);
  return prepared.applied;
}

/** Where a batch may find a story's current state without reading it from the read models (see currentStates). */
export interface KnownStories {
  get(storyId: string): CommittedStory | undefined;
}

export interface ProjectedBatch {
  readonly applied: number;
  /** Every story the batch wrote, in the state it wrote. */
  readonly stories: ReadonlyMap<string, CommittedStory>;
}

/** A batch folded and ready to write: `writes` touch one table each and may go out as one statement (combineWrites). */
export interface PreparedBatch extends ProjectedBatch {
  readonly writes: readonly Statement[];
}

/**
 * Everything `projectStoryEvents` does but the writes: takes the current state of the stories
 * `known` has from there (it must be exactly what the table holds in this transaction), reads the
 * others, folds the events and builds the statements.
 */
export async function prepareStoryBatch(db: Queryable, schemaName: string, events: readonly RecordedEvent[], known?: KnownStories): Promise<PreparedBatch> {
  const schema = assertSchemaName(schemaName);
  const storyEvents = storyEventsOf(events);
  const { current, unknown } = splitByKnown(storyEvents, known);
  if (unknown.size > 0) {
    for (const [storyId, story] of await currentStates(db, schema, [...unknown.keys()])) current.set(storyId, story);
  }
  return fold(schema, storyEvents, current);
}

/**
 * `prepareStoryBatch` without the database, for a batch all of whose stories `known` has (null
 * otherwise, or when folding fails: the caller then takes the ordinary path, which reads what it
 * lacks and reports what fails). `known` must be the state the batch will be applied to.
 */
export function prepareKnownStoryBatch(schemaName: string, events: readonly RecordedEvent[], known: KnownStories): PreparedBatch | null {
  const schema = assertSchemaName(schemaName);
  const storyEvents = storyEventsOf(events);
  const { current, unknown } = splitByKnown(storyEvents, known);
  // A story opened in this batch is unknown here but needs no read: nothing is stored for it yet
  // exactly when its first event is the opening one (revision 1).
  for (const firstRevision of unknown.values()) if (firstRevision !== 0n) return null;
  try {
    return fold(schema, storyEvents, current);
  } catch {
    return null;
  }
}

const storyEventsOf = (events: readonly RecordedEvent[]): { storyId: string; recorded: RecordedEvent }[] =>
  events.flatMap((recorded) => {
    const storyId = storyIdOf(recorded);
    return storyId === null ? [] : [{ storyId, recorded }];
  });

/**
 * The batch's stories split in two: those `known` holds, with their current state, and the rest,
 * each with the stream revision of its first event in the batch.
 */
function splitByKnown(
  storyEvents: readonly { storyId: string; recorded: RecordedEvent }[],
  known: KnownStories | undefined,
): { current: Map<string, CommittedStory>; unknown: Map<string, bigint> } {
  const current = new Map<string, CommittedStory>();
  const unknown = new Map<string, bigint>();
  for (const { storyId, recorded } of storyEvents) {
    if (current.has(storyId) || unknown.has(storyId)) continue;
    const story = known?.get(storyId);
    if (story) current.set(storyId, story);
    else unknown.set(storyId, recorded.revision);
  }
  return { current, unknown };
}

function fold(schema: string, storyEvents: readonly { storyId: string; recorded: RecordedEvent }[], current: Map<string, CommittedStory>): PreparedBatch {
  const writes = new BatchWrites();
  let applied = 0;
  for (const { storyId, recorded } of storyEvents) {
    const before = current.get(storyId) ?? null;
    const projected = projectEvent(storyId, before?.snapshot ?? null, recorded);
    if (!projected) continue;
    const after: CommittedStory = { snapshot: projected.after, jsonLength: jsonLengthAfter(projected, before) };
    current.set(storyId, after);
    writes.add(projected, after);
    applied += 1;
  }
  return { applied, ...statementsOf(schema, writes) };
}

/** The `developments` row of one development, as it stands in `snapshot`. */
export const developmentRow = (storyId: string, d: DevelopmentView): Row => ({
  story_id: storyId,
  development_id: d.id,
  kind: d.kind,
  text: d.text,
  original_text: d.originalText,
  occurred_at: d.occurredAt,
  occurred_at_precision: d.occurredAtPrecision,
  occurred_at_label: d.occurredAtLabel,
  occurred_at_as_logged: d.occurredAt,
  location: d.location,
  attribution: d.attribution,
  quote: d.quote,
  source_ids: d.sourceIds,
  recorded_at: d.recordedAt,
  recorded_by: d.recordedBy,
  revision: d.revision,
  status: d.status,
  retracted_at: d.retraction?.at ?? null,
  retraction_reason: d.retraction?.reason ?? null,
});

export const claimRow = (storyId: string, c: ClaimView): Row => ({
  story_id: storyId,
  claim_id: c.id,
  text: c.text,
  original_text: c.originalText,
  status: c.status,
  development_id: c.developmentId,
  reported_at: c.history[0]?.at,
  updated_at: c.history.at(-1)?.at,
  revision: c.history[0]?.revision,
});

export const sourceRow = (storyId: string, src: SourceView): Row => ({
  story_id: storyId,
  source_id: src.id,
  url: src.url,
  publisher: src.publisher,
  title: src.title,
  cited_at: src.citedAt,
  revision: src.revision,
});

/**
 * The `stories` row of a story: what lists, searches and heads need. It keeps no snapshot (the
 * revisions table's newest keyframe and the patches after it are the story; see currentStates).
 */
export const storyRow = (snap: StorySnapshot): Row => ({
  story_id: snap.id,
  slug: snap.slug,
  headline: snap.headline,
  summary: snap.summary,
  desk: snap.desk,
  language: snap.language,
  status: snap.status,
  revision: snap.revision,
  created_at: snap.createdAt,
  updated_at: snap.updatedAt,
});

/** A column of a write: its name, its type, and whether its value is a JS value stored as JSON. */
type Column = readonly [name: string, type: string, asJson?: 'json'];

const COLUMNS = {
  revisions: [
    ['story_id', 'uuid'],
    ['revision', 'integer'],
    ['event_id', 'uuid'],
    ['event_type', 'text'],
    ['recorded_at', 'timestamptz'],
    ['editor_id', 'text'],
    ['reason', 'text'],
    ['correlation_id', 'text'],
    ['causation_id', 'text'],
    ['summary', 'text'],
    ['changes', 'json', 'json'],
    ['patch', 'json', 'json'],
    ['snapshot', 'json', 'json'],
    ['hash', 'text'],
    ['prev_hash', 'text'],
  ],
  developments: [
    ['story_id', 'uuid'],
    ['development_id', 'uuid'],
    ['kind', 'text'],
    ['text', 'text'],
    ['original_text', 'text'],
    ['occurred_at', 'timestamptz'],
    ['occurred_at_precision', 'text'],
    ['occurred_at_label', 'text'],
    ['occurred_at_as_logged', 'text'],
    ['location', 'text'],
    ['attribution', 'jsonb', 'json'],
    ['quote', 'text'],
    ['source_ids', 'jsonb', 'json'],
    ['recorded_at', 'timestamptz'],
    ['recorded_by', 'text'],
    ['revision', 'integer'],
    ['status', 'text'],
    ['retracted_at', 'timestamptz'],
    ['retraction_reason', 'text'],
  ],
  claims: [
    ['story_id', 'uuid'],
    ['claim_id', 'uuid'],
    ['text', 'text'],
    ['original_text', 'text'],
    ['status', 'text'],
    ['development_id', 'uuid'],
    ['reported_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
    ['revision', 'integer'],
  ],
  claimHistory: [
    ['story_id', 'uuid'],
    ['claim_id', 'uuid'],
    ['revision', 'integer'],
    ['status', 'text'],
    ['at', 'timestamptz'],
    ['editor_id', 'text'],
    ['development_id', 'uuid'],
    ['attribution', 'jsonb', 'json'],
    ['reason', 'text'],
  ],
  sources: [
    ['story_id', 'uuid'],
    ['source_id', 'uuid'],
    ['url', 'text'],
    ['publisher', 'text'],
    ['title', 'text'],
    ['cited_at', 'timestamptz'],
    ['revision', 'integer'],
  ],
  corrections: [
    ['correction_id', 'text'],
    ['story_id', 'uuid'],
    ['revision', 'integer'],
    ['target_type', 'text'],
    ['target_id', 'text'],
    ['kind', 'text'],
    ['note', 'text'],
    ['corrected_text', 'text'],
    ['issued_at', 'timestamptz'],
    ['editor_id', 'text'],
  ],
  stories: [
    ['story_id', 'uuid'],
    ['slug', 'text'],
    ['headline', 'text'],
    ['summary', 'text'],
    ['desk', 'text'],
    ['language', 'text'],
    ['status', 'text'],
    ['revision', 'integer'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
  ],
} satisfies Record<string, readonly Column[]>;

export type WriteTable = keyof typeof COLUMNS;

/**
 * JSON values travel as one text parameter per column: their JSON texts joined by this character.
 * JSON.stringify escapes every control character inside strings, so it never occurs in its
 * output, and `string_to_array` splits the text back without the quoting and escaping of an
 * array literal (which node-postgres would otherwise apply to every keyframe and patch).
 */
const JSON_SEPARATOR = '\u0001';

/** A JSON column's value already serialised (by a caller that also needs the text's length). */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * `INSERT ... SELECT ... FROM (SELECT unnest($1::type[]) AS a, unnest($2::type[]) AS b, ...)`: one
 * multi-row statement per table, one array parameter per column. PostgreSQL parses each array
 * once, element by element, much faster than it extracts fields from one JSON document of the
 * rows. A `json` column keeps the text as it came. The unnests sit in the select list, where they
 * run in step (the arrays are all as long) and hand rows on one at a time; `FROM unnest(a, b,
 * ...)` first collected every row in a tuplestore, which a batch of large snapshots spilled to
 * a temporary file.
 */
function insertFrom(table: WriteTable, target: string, values: string, tail: string): string {
  const columns: readonly Column[] = COLUMNS[table];
  const sources = columns
    .map(([name, type, asJson], i) => `unnest(${asJson ? `string_to_array($${i + 1}::text, E'\\x01', '')::${type}[]` : `$${i + 1}::${type}[]`}) AS ${name}`)
    .join(', ');
  return `INSERT INTO ${target} SELECT ${values} FROM (SELECT ${sources}) AS x ${tail}`;
}

/** The `stories` row's search vector: its headline and summary, as `row` (an alias) holds them. */
const STORY_SEARCH = (row: string): string => `to_tsvector('english', ${row}.headline || E'\\n' || coalesce(${row}.summary, ''))`;

/**
 * The statements that write each table. The live projection and the rebuild's bulk loader write
 * through these same statements.
 *
 * `keyed: false` is for a bulk load into tables whose append-only tables (revisions, claim history,
 * corrections) have no primary key yet: each of their rows is written exactly once, and
 * the key added afterwards proves it.
 */
export function writeSql(s: string, { keyed }: { keyed: boolean } = { keyed: true }): Record<WriteTable, string> {
  const all = 'x.*';
  return {
    revisions: insertFrom('revisions', `${s}.story_revisions`, all, keyed ? 'ON CONFLICT (story_id, revision) DO NOTHING' : ''),
    developments: insertFrom(
      'developments',
      `${s}.developments (${COLUMNS.developments.map(([name]) => name).join(', ')})`,
      all,
      `ON CONFLICT (story_id, development_id) DO UPDATE SET text = EXCLUDED.text, original_text = EXCLUDED.original_text,
         status = EXCLUDED.status, retracted_at = EXCLUDED.retracted_at, retraction_reason = EXCLUDED.retraction_reason`,
    ),
    claims: insertFrom(
      'claims',
      `${s}.claims`,
      all,
      `ON CONFLICT (story_id, claim_id) DO UPDATE SET text = EXCLUDED.text, original_text = EXCLUDED.original_text,
         status = EXCLUDED.status, updated_at = EXCLUDED.updated_at`,
    ),
    claimHistory: insertFrom('claimHistory', `${s}.claim_history`, all, keyed ? 'ON CONFLICT (story_id, claim_id, revision) DO NOTHING' : ''),
    sources: insertFrom('sources', `${s}.sources`, all, 'ON CONFLICT (story_id, source_id) DO NOTHING'),
    corrections: insertFrom('corrections', `${s}.corrections`, all, keyed ? 'ON CONFLICT (story_id, correction_id) DO NOTHING' : ''),
    // The search vector of the headline and summary is made only when the row is new or they
    // changed: redone for every event, it cost about 4% of the live projector's PostgreSQL time
    // per event (docs/PERFORMANCE.md, section 4). (A row that exists gets a placeholder in the
    // SELECT, which ON CONFLICT then discards.)
    stories: insertFrom(
      'stories',
      `${s}.stories (story_id, slug, headline, summary, desk, language, status, revision, created_at, updated_at, search)`,
      `x.story_id, x.slug, x.headline, x.summary, x.desk, x.language, x.status, x.revision, x.created_at, x.updated_at,
         CASE WHEN EXISTS (SELECT 1 FROM ${s}.stories AS known WHERE known.story_id = x.story_id) THEN ''::tsvector
              ELSE ${STORY_SEARCH('x')} END`,
      `ON CONFLICT (story_id) DO UPDATE SET slug = EXCLUDED.slug, headline = EXCLUDED.headline, summary = EXCLUDED.summary,
         status = EXCLUDED.status, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at,
         search = CASE WHEN ${s}.stories.headline IS DISTINCT FROM EXCLUDED.headline OR ${s}.stories.summary IS DISTINCT FROM EXCLUDED.summary
                       THEN ${STORY_SEARCH('EXCLUDED')} ELSE ${s}.stories.search END
       WHERE ${s}.stories.revision < EXCLUDED.revision`,
    ),
  };
}

/** The parameters of `writeSql(...)[table]` for `rows`: one array per column (JSON columns: one joined text, null as ''). */
export function writeParameters(table: WriteTable, rows: readonly Row[]): unknown[] {
  const columns: readonly Column[] = COLUMNS[table];
  return columns.map(([name, , asJson]) =>
    asJson
      ? rows.map((row) => jsonParameter(row[name])).join(JSON_SEPARATOR)
      : rows.map((row) => row[name] ?? null),
  );
}

/** The tables a bulk load may COPY into: append-only, each row written once (see writeSql's `keyed: false`). */
export type CopyTable = 'revisions' | 'claimHistory' | 'corrections';

const COPY_TARGETS: Record<CopyTable, string> = {
  revisions: 'story_revisions',
  claimHistory: 'claim_history',
  corrections: 'corrections',
};

/** `COPY ... FROM STDIN` (text format) of the columns `copyText` writes, in their order. */
export function copySql(s: string, table: CopyTable): string {
  const columns: readonly Column[] = COLUMNS[table];
  return `COPY ${s}.${COPY_TARGETS[table]} (${columns.map(([name]) => name).join(', ')}) FROM STDIN`;
}

/**
 * `rows` as the data of `copySql(s, table)`: the same values `writeParameters` sends (JSON
 * columns as JSON.stringify's text), in COPY's text format, one line per row, encoded as UTF-8
 * straight into one buffer (no joined string to build and encode again), of `expectedBytes` to
 * begin with: the size of the last statement spares growing it step by step.
 */
export function copyText(table: CopyTable, rows: readonly Row[], expectedBytes = 1 << 20): Buffer {
  const columns: readonly Column[] = COLUMNS[table];
  const out = new CopyBuffer(expectedBytes);
  for (const row of rows) {
    for (const [i, [name, , asJson]] of columns.entries()) {
      if (i > 0) out.byte(TAB);
      const value = row[name];
      out.text(asJson && value !== null && value !== undefined ? copyJson(jsonParameter(value)) : copyValue(value));
    }
    out.byte(NEWLINE);
  }
  return out.bytes();
}

const TAB = 0x09;
const NEWLINE = 0x0a;

/** A growing byte buffer that strings are written into as UTF-8. */
class CopyBuffer {
  private buffer: Buffer;
  private length = 0;

  constructor(expectedBytes: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(expectedBytes, 1024));
  }

  text(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    this.reserve(text.length * 3);
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  byte(byte: number): void {
    this.reserve(1);
    this.buffer[this.length] = byte;
    this.length += 1;
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

/** What COPY's text format reads specially inside a value; each is written as backslash and a letter. */
const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIALS = /[\\\n\r\t]/g;
const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** JSON text never holds a raw newline, carriage return or tab (JSON.stringify escapes them): only its backslashes need doubling. */
const copyJson = (json: string): string => (json.includes('\\') ? json.replaceAll('\\', '\\\\') : json);

/** One value in COPY's text format: `\N` for null, else its text with backslash, newline, carriage return and tab escaped. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (value instanceof Date) text = value.toISOString();
  else throw new TypeError(`No COPY text for a value of type ${typeof value}`);
  return COPY_SPECIAL.test(text) ? text.replace(COPY_SPECIALS, (c) => COPY_ESCAPES[c] ?? c) : text;
}

function jsonParameter(value: unknown): string {
  if (value === null || value === undefined) return '';
  return value instanceof JsonText ? value.text : JSON.stringify(value);
}

/**
 * Orders rows by their story, each story's in the order they came (Array.prototype.sort is
 * stable): rows written in this order lie side by side in the heap, so reading one story's
 * history touches few pages, however finely the log interleaves stories. A rebuilt 300,000-event
 * log of one event per append: the newest 21 revisions of a story on 13.1 pages in the log's order,
 * 5.4 grouped, and the revisions page's PostgreSQL CPU 0.33-0.38 -> 0.16-0.19 ms (docs/PERFORMANCE.md,
 * section 6). The live projector's batches are small when it keeps up, so this mostly serves
 * catching up and rebuilds.
 */
export function byStory(a: Row, b: Row): number {
  const x = a['story_id'] as string;
  const y = b['story_id'] as string;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The batch's writes, one statement per table that gets rows, and the stories they write, each with its snapshot's estimated JSON length. */
function statementsOf(s: string, writes: BatchWrites): { writes: Statement[]; stories: ReadonlyMap<string, CommittedStory> } {
  const sql = writeSql(s);
  const statements: Statement[] = [];
  const write = (table: WriteTable, rows: Row[]): void => {
    if (rows.length > 0) statements.push({ sql: sql[table], parameters: writeParameters(table, rows) });
  };
  // Grouped by story, as the rebuild's COPY does (a catching-up batch spans many stories).
  write('revisions', writes.revisions.sort(byStory));
  const pick = <T extends { readonly id: string }>(dirty: Map<string, Set<string>>, items: (snap: StorySnapshot) => readonly T[], toRow: (storyId: string, item: T) => Row): Row[] =>
    [...dirty].flatMap(([storyId, ids]) => {
      const snap = writes.stories.get(storyId)?.snapshot;
      return snap ? items(snap).filter((item) => ids.has(item.id)).map((item) => toRow(storyId, item)) : [];
    });
  write('developments', pick(writes.dirtyDevelopments, (snap) => snap.developments, developmentRow));
  write('claims', pick(writes.dirtyClaims, (snap) => snap.claims, claimRow));
  write('claimHistory', writes.claimHistory.sort(byStory));
  write('sources', pick(writes.newSources, (snap) => snap.sources, sourceRow));
  write('corrections', writes.corrections);
  write('stories', [...writes.stories.values()].map((story) => storyRow(story.snapshot)));
  return { writes: statements, stories: writes.stories };
}
