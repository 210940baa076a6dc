import { assertNever } from '../shared/assert-never';
import { PersistentMap, PersistentSet, withEntry, withMember } from '../shared/persistent-map';
import type { CorrectionIssued, DevelopmentKind, StoryEvent } from './story.events';

/** Only what `decide` needs to enforce the rules; read models hold everything else. */

/*
 * No texts: no rule reads a development's or a claim's wording (the read models keep every
 * version of it), and leaving them out keeps a long story's fold, cached and snapshotted by the
 * write side, a few dozen bytes per development instead of its whole text twice.
 */

export interface DevelopmentState {
  readonly kind: DevelopmentKind;
  readonly retracted: boolean;
}

export type ClaimStatus = 'reported' | 'confirmed' | 'disputed' | 'retracted';

export interface ClaimState {
  readonly status: ClaimStatus;
  /** The development that first reported it. */
  readonly developmentId: string;
}

export interface AbsentStory {
  readonly status: 'absent';
}

export interface OpenedStory {
  readonly status: 'draft' | 'published' | 'withdrawn';
  readonly storyId: string;
  readonly slug: string;
  readonly headline: string;
  readonly summary?: string;
  readonly desk: string;
  readonly language: string;
  readonly developments: ReadonlyMap<string, DevelopmentState>;
  readonly claims: ReadonlyMap<string, ClaimState>;
  readonly sources: ReadonlySet<string>;
  readonly corrections: ReadonlySet<string>;
}

export type StoryState = AbsentStory | OpenedStory;

export function initialState(): StoryState {
  return { status: 'absent' };
}

/**
 * Folds one stored event into the state. `decide` has already enforced the rules, so this
 * trusts the stream: an event about a claim or development the state does not know changes
 * nothing rather than failing a replay. Only a stream that does not start with StoryOpened
 * (or opens twice) is rejected, since no story can be built from it.
 */
export function evolve(state: StoryState, event: StoryEvent): StoryState {
  if (event.type === 'StoryOpened') {
    if (state.status !== 'absent') throw new Error(`Story ${state.storyId} was opened twice in its stream`);
    const { storyId, slug, headline, summary, desk, language } = event.data;
    return {
      status: 'draft',
      storyId,
      slug,
      headline,
      ...(summary === undefined ? {} : { summary }),
      desk,
      language,
      developments: PersistentMap.empty(),
      claims: PersistentMap.empty(),
      sources: PersistentSet.empty(),
      corrections: PersistentSet.empty(),
    };
  }
  if (state.status === 'absent') throw new Error(`${event.type} before StoryOpened: the stream does not start with the story`);
  return evolveOpened(state, event);
}

function evolveOpened(state: OpenedStory, event: Exclude<StoryEvent, { type: 'StoryOpened' }>): OpenedStory {
  switch (event.type) {
    case 'DevelopmentLogged': {
      const { developmentId, kind } = event.data;
      const development: DevelopmentState = { kind, retracted: false };
      return { ...state, developments: withEntry(state.developments, developmentId, development) };
    }
    case 'DevelopmentRetracted':
      return updateDevelopment(state, event.data.developmentId, (development) => ({ ...development, retracted: true }));
    case 'ClaimReported': {
      const { claimId, developmentId } = event.data;
      const claim: ClaimState = { status: 'reported', developmentId };
      return { ...state, claims: withEntry(state.claims, claimId, claim) };
    }
    case 'ClaimConfirmed':
      return updateClaim(state, event.data.claimId, (claim) => ({ ...claim, status: 'confirmed' }));
    case 'ClaimDisputed':
      return updateClaim(state, event.data.claimId, (claim) => ({ ...claim, status: 'disputed' }));
    case 'ClaimRetracted':
      return updateClaim(state, event.data.claimId, (claim) => ({ ...claim, status: 'retracted' }));
    case 'HeadlineRevised':
      return { ...state, headline: event.data.headline };
    case 'SummaryRevised':
      return { ...state, summary: event.data.summary };
    case 'SourceCited':
      return { ...state, sources: withMember(state.sources, event.data.sourceId) };
    case 'CorrectionIssued':
      return applyCorrection({ ...state, corrections: withMember(state.corrections, event.data.correctionId) }, event.data);
    case 'StoryPublished':
      return { ...state, status: 'published' };
    case 'StoryWithdrawn':
      return { ...state, status: 'withdrawn' };
    default:
      return assertNever(event, 'story event');
  }
}

function applyCorrection(state: OpenedStory, correction: CorrectionIssued['data']): OpenedStory {
  const { target, correctedText } = correction;
  // A correction without new text is a published note only; the wording stands.
  if (correctedText === undefined) return state;
  switch (target.type) {
    case 'headline':
      return { ...state, headline: correctedText };
    case 'summary':
      return { ...state, summary: correctedText };
    case 'development':
    case 'claim':
      // Their wording lives in the read models; the rules need only that they exist and stand.
      return state;
    default:
      return assertNever(target, 'correction target');
  }
}

function updateDevelopment(state: OpenedStory, id: string, change: (d: DevelopmentState) => DevelopmentState): OpenedStory {
  const development = state.developments.get(id);
  if (development === undefined) return state;
  return { ...state, developments: withEntry(state.developments, id, change(development)) };
}

function updateClaim(state: OpenedStory, id: string, change: (c: ClaimState) => ClaimState): OpenedStory {
  const claim = state.claims.get(id);
  if (claim === undefined) return state;
  return { ...state, claims: withEntry(state.claims, id, change(claim)) };
}
