import type { Attribution, CorrectionKind, DevelopmentKind, TimePrecision } from '@newsroom/domain';

/**
 * What a reader sees of a story at one revision: the body of `GET /stories/{id}`, of
 * `GET /stories/{id}/revisions/{n}` (its `snapshot`) and of `?asOf=`. Plain JSON, so two
 * snapshots can be compared with an RFC 6902 JSON Patch. Arrays are in the order things were
 * logged, so a snapshot is a pure function of the events up to its revision.
 */
export interface StorySnapshot {
  readonly id: string;
  readonly slug: string;
  readonly headline: string;
  readonly summary: string | null;
  readonly desk: string;
  readonly language: string;
  readonly status: 'draft' | 'published' | 'withdrawn';
  /** Number of events folded in. */
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly publishedAt: string | null;
  readonly withdrawn: { readonly at: string; readonly reason: string } | null;
  readonly developments: readonly DevelopmentView[];
  readonly claims: readonly ClaimView[];
  readonly sources: readonly SourceView[];
  readonly corrections: readonly CorrectionView[];
}

export interface CorrectionNote {
  readonly correctionId: string;
  readonly kind: CorrectionKind;
  readonly note: string;
  readonly correctedText: string | null;
  readonly issuedAt: string;
}

export interface DevelopmentView {
  readonly id: string;
  readonly kind: DevelopmentKind;
  /** Current text: the latest correction's text when one replaced it. */
  readonly text: string;
  /** The text as first logged, present only when a correction changed it. */
  readonly originalText: string | null;
  readonly occurredAt: string | null;
  readonly occurredAtPrecision: TimePrecision | null;
  readonly occurredAtLabel: string | null;
  readonly location: string | null;
  readonly attribution: Attribution;
  readonly quote: string | null;
  readonly sourceIds: readonly string[];
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly revision: number;
  readonly status: 'active' | 'retracted';
  readonly retraction: { readonly at: string; readonly reason: string } | null;
  /** Corrections and clarifications of this development, oldest first. */
  readonly corrections: readonly CorrectionNote[];
}

export type ClaimStatus = 'reported' | 'confirmed' | 'disputed' | 'retracted';

export interface ClaimStep {
  readonly status: ClaimStatus;
  readonly at: string;
  readonly editorId: string;
  readonly developmentId: string | null;
  readonly revision: number;
  readonly attribution: Attribution | null;
  readonly reason: string | null;
}

export interface ClaimView {
  readonly id: string;
  readonly text: string;
  readonly originalText: string | null;
  readonly status: ClaimStatus;
  readonly developmentId: string;
  readonly history: readonly ClaimStep[];
  readonly corrections: readonly CorrectionNote[];
}

export interface SourceView {
  readonly id: string;
  readonly url: string;
  readonly publisher: string;
  readonly title: string | null;
  readonly citedAt: string;
  readonly revision: number;
}

export interface CorrectionView {
  readonly id: string;
  readonly target: { readonly type: 'development' | 'claim' | 'headline' | 'summary'; readonly id: string | null };
  readonly kind: CorrectionKind;
  readonly note: string;
  readonly correctedText: string | null;
  readonly issuedAt: string;
  readonly editorId: string;
  readonly revision: number;
}
