import type { StoryEvent } from '@newsroom/domain';
import type { ClaimStep, ClaimView, CorrectionNote, DevelopmentView, StorySnapshot } from './story-snapshot';

/** The envelope facts a snapshot needs besides the event itself. */
export interface EventFacts {
  /** The story's revision after this event (1-based: the stream revision + 1). */
  readonly revision: number;
  readonly recordedAt: string;
  readonly editorId: string;
  readonly reason: string | null;
}

export class SnapshotProjectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotProjectionError';
  }
}

const replaceWhere = <T extends { readonly id: string }>(items: readonly T[], id: string, change: (item: T) => T): T[] =>
  items.map((item) => (item.id === id ? change(item) : item));

function claimStep(status: ClaimStep['status'], facts: EventFacts, data: { developmentId?: string; attribution?: ClaimStep['attribution']; reason?: string }): ClaimStep {
  return {
    status,
    at: facts.recordedAt,
    editorId: facts.editorId,
    developmentId: data.developmentId ?? null,
    revision: facts.revision,
    attribution: data.attribution ?? null,
    reason: data.reason ?? null,
  };
}

const moveClaim = (snapshot: StorySnapshot, claimId: string, step: ClaimStep): readonly ClaimView[] =>
  replaceWhere(snapshot.claims, claimId, (claim) => ({ ...claim, status: step.status, history: [...claim.history, step] }));

/**
 * Folds one event into the reader's snapshot: a projection is an `evolve` over a read-model row.
 * Pure and total over the event catalogue (the `never` check makes a new event type a compile
 * error here). `null` is the story before it was opened.
 */
export function applyToSnapshot(snapshot: StorySnapshot | null, event: StoryEvent, facts: EventFacts): StorySnapshot {
  if (event.type === 'StoryOpened') {
    if (snapshot) throw new SnapshotProjectionError(`Story ${snapshot.id} opened twice`);
    const d = event.data;
    return {
      id: d.storyId,
      slug: d.slug,
      headline: d.headline,
      summary: d.summary ?? null,
      desk: d.desk,
      language: d.language,
      status: 'draft',
      revision: facts.revision,
      createdAt: facts.recordedAt,
      updatedAt: facts.recordedAt,
      publishedAt: null,
      withdrawn: null,
      developments: [],
      claims: [],
      sources: [],
      corrections: [],
    };
  }
  if (!snapshot) throw new SnapshotProjectionError(`${event.type} before StoryOpened`);
  if (facts.revision !== snapshot.revision + 1) {
    throw new SnapshotProjectionError(`Story ${snapshot.id}: event for revision ${facts.revision} applied to revision ${snapshot.revision}`);
  }
  const next = { ...snapshot, revision: facts.revision, updatedAt: facts.recordedAt };
  switch (event.type) {
    case 'DevelopmentLogged': {
      const d = event.data;
      const development: DevelopmentView = {
        id: d.developmentId,
        kind: d.kind,
        text: d.text,
        originalText: null,
        occurredAt: d.occurredAt?.at ?? null,
        occurredAtPrecision: d.occurredAt?.precision ?? null,
        occurredAtLabel: d.occurredAt?.label ?? null,
        location: d.location ?? null,
        attribution: d.attribution,
        quote: d.quote ?? null,
        sourceIds: [...d.sourceIds],
        recordedAt: facts.recordedAt,
        recordedBy: facts.editorId,
        revision: facts.revision,
        status: 'active',
        retraction: null,
        corrections: [],
      };
      return { ...next, developments: [...snapshot.developments, development] };
    }
    case 'ClaimReported': {
      const d = event.data;
      const claim: ClaimView = {
        id: d.claimId,
        text: d.text,
        originalText: null,
        status: 'reported',
        developmentId: d.developmentId,
        history: [claimStep('reported', facts, d)],
        corrections: [],
      };
      return { ...next, claims: [...snapshot.claims, claim] };
    }
    case 'ClaimConfirmed':
      return { ...next, claims: moveClaim(snapshot, event.data.claimId, claimStep('confirmed', facts, event.data)) };
    case 'ClaimDisputed':
      return { ...next, claims: moveClaim(snapshot, event.data.claimId, claimStep('disputed', facts, event.data)) };
    case 'ClaimRetracted':
      return { ...next, claims: moveClaim(snapshot, event.data.claimId, claimStep('retracted', facts, event.data)) };
    case 'HeadlineRevised':
      return { ...next, headline: event.data.headline };
    case 'SummaryRevised':
      return { ...next, summary: event.data.summary };
    case 'SourceCited': {
      const d = event.data;
      return { ...next, sources: [...snapshot.sources, { id: d.sourceId, url: d.url, publisher: d.publisher, title: d.title ?? null, citedAt: facts.recordedAt, revision: facts.revision }] };
    }
    case 'CorrectionIssued':
      return applyCorrection(next, snapshot, event.data, facts);
    case 'DevelopmentRetracted':
      return {
        ...next,
        developments: replaceWhere(snapshot.developments, event.data.developmentId, (development) => ({
          ...development,
          status: 'retracted',
          retraction: { at: facts.recordedAt, reason: event.data.reason },
        })),
      };
    case 'StoryPublished':
      return { ...next, status: 'published', publishedAt: snapshot.publishedAt ?? facts.recordedAt };
    case 'StoryWithdrawn':
      return { ...next, status: 'withdrawn', withdrawn: { at: facts.recordedAt, reason: event.data.reason } };
    default: {
      const unhandled: never = event;
      throw new SnapshotProjectionError(`No snapshot rule for ${(unhandled as { type: string }).type}`);
    }
  }
}

type CorrectionData = Extract<StoryEvent, { type: 'CorrectionIssued' }>['data'];

function applyCorrection(next: StorySnapshot, snapshot: StorySnapshot, d: CorrectionData, facts: EventFacts): StorySnapshot {
  const note: CorrectionNote = {
    correctionId: d.correctionId,
    kind: d.kind,
    note: d.note,
    correctedText: d.correctedText ?? null,
    issuedAt: facts.recordedAt,
  };
  const ledger = [
    ...snapshot.corrections,
    {
      id: d.correctionId,
      target: { type: d.target.type, id: 'id' in d.target ? d.target.id : null },
      kind: d.kind,
      note: d.note,
      correctedText: d.correctedText ?? null,
      issuedAt: facts.recordedAt,
      editorId: facts.editorId,
      revision: facts.revision,
    },
  ];
  const text = d.correctedText;
  switch (d.target.type) {
    case 'development':
      return {
        ...next,
        corrections: ledger,
        developments: replaceWhere(snapshot.developments, d.target.id, (dev) => ({
          ...dev,
          text: text ?? dev.text,
          originalText: text === undefined ? dev.originalText : (dev.originalText ?? dev.text),
          corrections: [...dev.corrections, note],
        })),
      };
    case 'claim':
      return {
        ...next,
        corrections: ledger,
        claims: replaceWhere(snapshot.claims, d.target.id, (claim) => ({
          ...claim,
          text: text ?? claim.text,
          originalText: text === undefined ? claim.originalText : (claim.originalText ?? claim.text),
          corrections: [...claim.corrections, note],
        })),
      };
    case 'headline':
      return { ...next, corrections: ledger, headline: text ?? snapshot.headline };
    case 'summary':
      return { ...next, corrections: ledger, summary: text ?? snapshot.summary };
    default: {
      const unhandled: never = d.target;
      throw new SnapshotProjectionError(`Unknown correction target ${JSON.stringify(unhandled)}`);
    }
  }
}
