import { STORY_STREAM_PREFIX, toStoryEvent, type StoryEvent } from '@newsroom/domain';
import { type RecordedEvent } from '@newsroom/event-store';
import { assertSchemaName } from '../schema/read-model.ddl';
import { applyToSnapshot, describeChanges, diffJson, summarizeEvent, type EventFacts, type StorySnapshot } from '../story-snapshot';
import { type Queryable } from './queryable';

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

interface StoryRow {
  story_id: string;
  revision: number;
  snapshot: StorySnapshot;
}

/** What one batch writes, collected first so each table gets one statement per batch. */
class BatchWrites {
  readonly revisions: Record<string, unknown>[] = [];
  readonly claimHistory: Record<string, unknown>[] = [];
  readonly corrections: Record<string, unknown>[] = [];
  readonly dirtyDevelopments = new Map<string, Set<string>>();
  readonly dirtyClaims = new Map<string, Set<string>>();
  readonly newSources = new Map<string, Set<string>>();
  readonly stories = new Map<string, StorySnapshot>();

  mark(map: Map<string, Set<string>>, storyId: string, id: string): void {
    const set = map.get(storyId) ?? new Set<string>();
    set.add(id);
    map.set(storyId, set);
  }
}

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
  const schema = assertSchemaName(schemaName);
  const storyEvents = events.filter((e) => e.streamId.startsWith(STORY_STREAM_PREFIX));
  if (storyEvents.length === 0) return 0;
  const storyIds = [...new Set(storyEvents.map((e) => e.streamId.slice(STORY_STREAM_PREFIX.length)))];
  const rows = await db.query<StoryRow[]>(`SELECT story_id, revision, snapshot FROM ${schema}.stories WHERE story_id = ANY($1::uuid[])`, [storyIds]);
  const current = new Map<string, StorySnapshot>(rows.map((r) => [r.story_id, r.snapshot]));

  const writes = new BatchWrites();
  let applied = 0;
  for (const recorded of storyEvents) {
    const storyId = recorded.streamId.slice(STORY_STREAM_PREFIX.length);
    const facts = factsOf(recorded);
    const before = current.get(storyId) ?? null;
    const projectedRevision = before?.revision ?? 0;
    if (facts.revision <= projectedRevision) continue;
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
    current.set(storyId, after);
    writes.stories.set(storyId, after);
    touch(writes, storyId, event);
    applied += 1;

    writes.revisions.push({
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
      patch: diffJson(before ?? {}, after),
      snapshot: isKeyframe(facts.revision) ? after : null,
      hash: text(recorded.metadata, 'hash') ?? '',
      prev_hash: text(recorded.metadata, 'prevHash') ?? '',
    });
    if (event.type === 'ClaimReported' || event.type === 'ClaimConfirmed' || event.type === 'ClaimDisputed' || event.type === 'ClaimRetracted') {
      const step = after.claims.find((c) => c.id === event.data.claimId)?.history.at(-1);
      if (step) {
        writes.claimHistory.push({
          story_id: storyId,
          claim_id: event.data.claimId,
          revision: facts.revision,
          status: step.status,
          at: step.at,
          editor_id: step.editorId,
          development_id: step.developmentId,
          attribution: step.attribution,
          reason: step.reason,
        });
      }
    }
    if (event.type === 'CorrectionIssued') {
      const d = event.data;
      writes.corrections.push({
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
      });
    }
  }
  await flush(db, schema, writes);
  return applied;
}

const json = (rows: unknown[]): string => JSON.stringify(rows);

async function flush(db: Queryable, s: string, writes: BatchWrites): Promise<void> {
  if (writes.revisions.length > 0) {
    // One statement and one JSON parse for both: the audit row is a projection of the revision row.
    await db.query(
      `WITH x AS MATERIALIZED (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(story_id uuid, revision integer, event_id uuid, event_type text,
           recorded_at timestamptz, editor_id text, reason text, correlation_id text, causation_id text, summary text,
           changes jsonb, patch jsonb, snapshot jsonb, hash text, prev_hash text)
       ), revisions AS (
         INSERT INTO ${s}.story_revisions (story_id, revision, event_id, event_type, recorded_at, editor_id, reason, correlation_id,
           causation_id, summary, changes, patch, snapshot, hash, prev_hash)
         SELECT story_id, revision, event_id, event_type, recorded_at, editor_id, reason, correlation_id,
           causation_id, summary, changes, patch, snapshot, hash, prev_hash FROM x
         ON CONFLICT (story_id, revision) DO NOTHING
       )
       INSERT INTO ${s}.audit_log (story_id, revision, event_id, event_type, editor_id, recorded_at, reason, correlation_id)
       SELECT story_id, revision, event_id, event_type, editor_id, recorded_at, reason, correlation_id FROM x
       ON CONFLICT (story_id, revision) DO NOTHING`,
      [json(writes.revisions)],
    );
  }
  const developments = [...writes.dirtyDevelopments].flatMap(([storyId, ids]) =>
    (writes.stories.get(storyId)?.developments ?? [])
      .filter((d) => ids.has(d.id))
      .map((d) => ({
        story_id: storyId,
        development_id: d.id,
        kind: d.kind,
        text: d.text,
        original_text: d.originalText,
        occurred_at: d.occurredAt,
        occurred_at_precision: d.occurredAtPrecision,
        occurred_at_label: d.occurredAtLabel,
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
      })),
  );
  if (developments.length > 0) {
    await db.query(
      `INSERT INTO ${s}.developments
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(story_id uuid, development_id uuid, kind text, text text, original_text text,
           occurred_at timestamptz, occurred_at_precision text, occurred_at_label text, location text, attribution jsonb, quote text,
           source_ids jsonb, recorded_at timestamptz, recorded_by text, revision integer, status text, retracted_at timestamptz, retraction_reason text)
       ON CONFLICT (story_id, development_id) DO UPDATE SET text = EXCLUDED.text, original_text = EXCLUDED.original_text,
         status = EXCLUDED.status, retracted_at = EXCLUDED.retracted_at, retraction_reason = EXCLUDED.retraction_reason`,
      [json(developments)],
    );
  }
  const claims = [...writes.dirtyClaims].flatMap(([storyId, ids]) =>
    (writes.stories.get(storyId)?.claims ?? [])
      .filter((c) => ids.has(c.id))
      .map((c) => ({
        story_id: storyId,
        claim_id: c.id,
        text: c.text,
        original_text: c.originalText,
        status: c.status,
        development_id: c.developmentId,
        reported_at: c.history[0]?.at,
        updated_at: c.history.at(-1)?.at,
        revision: c.history[0]?.revision,
      })),
  );
  if (claims.length > 0) {
    await db.query(
      `INSERT INTO ${s}.claims
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(story_id uuid, claim_id uuid, text text, original_text text, status text,
           development_id uuid, reported_at timestamptz, updated_at timestamptz, revision integer)
       ON CONFLICT (story_id, claim_id) DO UPDATE SET text = EXCLUDED.text, original_text = EXCLUDED.original_text,
         status = EXCLUDED.status, updated_at = EXCLUDED.updated_at`,
      [json(claims)],
    );
  }
  if (writes.claimHistory.length > 0) {
    await db.query(
      `INSERT INTO ${s}.claim_history
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(story_id uuid, claim_id uuid, revision integer, status text, at timestamptz,
           editor_id text, development_id uuid, attribution jsonb, reason text)
       ON CONFLICT (story_id, claim_id, revision) DO NOTHING`,
      [json(writes.claimHistory)],
    );
  }
  const sources = [...writes.newSources].flatMap(([storyId, ids]) =>
    (writes.stories.get(storyId)?.sources ?? [])
      .filter((src) => ids.has(src.id))
      .map((src) => ({ story_id: storyId, source_id: src.id, url: src.url, publisher: src.publisher, title: src.title, cited_at: src.citedAt, revision: src.revision })),
  );
  if (sources.length > 0) {
    await db.query(
      `INSERT INTO ${s}.sources
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(story_id uuid, source_id uuid, url text, publisher text, title text,
           cited_at timestamptz, revision integer)
       ON CONFLICT (story_id, source_id) DO NOTHING`,
      [json(sources)],
    );
  }
  if (writes.corrections.length > 0) {
    await db.query(
      `INSERT INTO ${s}.corrections
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(correction_id text, story_id uuid, revision integer, target_type text,
           target_id text, kind text, note text, corrected_text text, issued_at timestamptz, editor_id text)
       ON CONFLICT (story_id, correction_id) DO NOTHING`,
      [json(writes.corrections)],
    );
  }
  const stories = [...writes.stories.values()].map((snap) => ({
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
    snapshot: snap,
    search_text: `${snap.headline}\n${snap.summary ?? ''}`,
  }));
  if (stories.length > 0) {
    await db.query(
      `INSERT INTO ${s}.stories (story_id, slug, headline, summary, desk, language, status, revision, created_at, updated_at, snapshot, search)
         SELECT x.story_id, x.slug, x.headline, x.summary, x.desk, x.language, x.status, x.revision, x.created_at, x.updated_at, x.snapshot,
                to_tsvector('english', x.search_text)
           FROM jsonb_to_recordset($1::jsonb) AS x(story_id uuid, slug text, headline text, summary text, desk text, language text,
                status text, revision integer, created_at timestamptz, updated_at timestamptz, snapshot jsonb, search_text text)
       ON CONFLICT (story_id) DO UPDATE SET slug = EXCLUDED.slug, headline = EXCLUDED.headline, summary = EXCLUDED.summary,
         status = EXCLUDED.status, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at, snapshot = EXCLUDED.snapshot,
         search = EXCLUDED.search
       WHERE ${s}.stories.revision < EXCLUDED.revision`,
      [json(stories)],
    );
  }
}
