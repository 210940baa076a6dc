import type { Message } from '../shared/decider';

/**
 * Everything that can happen to a story, in the past tense. Events are stored forever, so
 * fields are only ever added (optional) and never removed or renamed; a change of meaning
 * gets a new schema version (see `event-envelope.ts`).
 */

export type DevelopmentKind = 'report' | 'confirmation' | 'statement' | 'visit' | 'background' | 'update';

/** How sure we are of when something happened, so "Thursday night" is not shown as 21:00:00. */
export type TimePrecision = 'exact' | 'hour' | 'day' | 'approximate';

export interface OccurredAt {
  /** ISO-8601 date or date-time. */
  readonly at: string;
  readonly precision: TimePrecision;
  /** How the story words it, e.g. "Thursday night". */
  readonly label?: string;
}

/** Who said it. `anonymityReason` is present whenever `anonymous` is true: readers are owed the why. */
export interface Attribution {
  readonly name?: string;
  readonly role?: string;
  readonly affiliation?: string;
  /** Where it was said, e.g. 'X' or 'Truth Social'. */
  readonly platform?: string;
  readonly anonymous: boolean;
  readonly anonymityReason?: string;
}

export type CorrectionTarget =
  | { readonly type: 'development' | 'claim'; readonly id: string }
  | { readonly type: 'headline' }
  | { readonly type: 'summary' };

export type CorrectionKind = 'correction' | 'clarification';

export type StoryOpened = Message<
  'StoryOpened',
  {
    readonly storyId: string;
    readonly slug: string;
    readonly headline: string;
    readonly desk: string;
    readonly summary?: string;
    /** BCP-47 tag, e.g. 'en'. */
    readonly language: string;
  }
>;

export type DevelopmentLogged = Message<
  'DevelopmentLogged',
  {
    readonly developmentId: string;
    readonly kind: DevelopmentKind;
    readonly text: string;
    readonly occurredAt?: OccurredAt;
    readonly location?: string;
    readonly attribution: Attribution;
    readonly quote?: string;
    readonly sourceIds: readonly string[];
  }
>;

export type ClaimReported = Message<
  'ClaimReported',
  { readonly claimId: string; readonly text: string; readonly developmentId: string; readonly attribution: Attribution }
>;

export type ClaimConfirmed = Message<
  'ClaimConfirmed',
  { readonly claimId: string; readonly developmentId: string; readonly attribution: Attribution }
>;

export type ClaimDisputed = Message<
  'ClaimDisputed',
  { readonly claimId: string; readonly developmentId: string; readonly attribution: Attribution }
>;

export type ClaimRetracted = Message<
  'ClaimRetracted',
  { readonly claimId: string; readonly reason: string; readonly developmentId?: string }
>;

export type HeadlineRevised = Message<
  'HeadlineRevised',
  { readonly headline: string; readonly previousHeadline: string; readonly reason: string }
>;

export type SummaryRevised = Message<
  'SummaryRevised',
  { readonly summary: string; readonly previousSummary?: string; readonly reason: string }
>;

export type SourceCited = Message<
  'SourceCited',
  { readonly sourceId: string; readonly url: string; readonly publisher: string; readonly title?: string }
>;

export type CorrectionIssued = Message<
  'CorrectionIssued',
  {
    readonly correctionId: string;
    readonly target: CorrectionTarget;
    readonly correctedText?: string;
    /** The note published to readers. */
    readonly note: string;
    readonly kind: CorrectionKind;
  }
>;

export type DevelopmentRetracted = Message<'DevelopmentRetracted', { readonly developmentId: string; readonly reason: string }>;

export type StoryPublished = Message<'StoryPublished', Record<string, never>>;

export type StoryWithdrawn = Message<'StoryWithdrawn', { readonly reason: string }>;

export type StoryEvent =
  | StoryOpened
  | DevelopmentLogged
  | ClaimReported
  | ClaimConfirmed
  | ClaimDisputed
  | ClaimRetracted
  | HeadlineRevised
  | SummaryRevised
  | SourceCited
  | CorrectionIssued
  | DevelopmentRetracted
  | StoryPublished
  | StoryWithdrawn;

export type StoryEventType = StoryEvent['type'];

/** Schema version of each event type as written today. Bump one when its data changes meaning. */
export const storyEventSchemaVersions: { readonly [T in StoryEventType]: number } = {
  StoryOpened: 1,
  DevelopmentLogged: 1,
  ClaimReported: 1,
  ClaimConfirmed: 1,
  ClaimDisputed: 1,
  ClaimRetracted: 1,
  HeadlineRevised: 1,
  SummaryRevised: 1,
  SourceCited: 1,
  CorrectionIssued: 1,
  DevelopmentRetracted: 1,
  StoryPublished: 1,
  StoryWithdrawn: 1,
};

/** Every event type name, e.g. for a projection's or a subscription's filter. */
export const storyEventTypes = Object.keys(storyEventSchemaVersions) as readonly StoryEventType[];

export function isStoryEventType(type: string): type is StoryEventType {
  return Object.prototype.hasOwnProperty.call(storyEventSchemaVersions, type);
}
