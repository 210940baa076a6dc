import type { Message } from '../shared/decider';
import type { Attribution, CorrectionKind, CorrectionTarget, DevelopmentKind, OccurredAt } from './story.events';

/**
 * What an editor asks of a story, in the imperative. Every id is chosen by the caller and
 * the time and acting editor travel in the event metadata: `decide` stays deterministic.
 */

export type OpenStory = Message<
  'OpenStory',
  {
    readonly storyId: string;
    /** Derived from the headline when absent. */
    readonly slug?: string;
    readonly headline: string;
    readonly desk: string;
    readonly summary?: string;
    /** BCP-47 tag; defaults to 'en'. */
    readonly language?: string;
  }
>;

export interface NewClaim {
  readonly claimId: string;
  readonly text: string;
}

export type LogDevelopment = Message<
  'LogDevelopment',
  {
    readonly developmentId: string;
    readonly kind: DevelopmentKind;
    readonly text: string;
    readonly occurredAt?: OccurredAt;
    readonly location?: string;
    readonly attribution: Attribution;
    readonly quote?: string;
    /** Each must already have been cited. */
    readonly sourceIds?: readonly string[];
    /** Claims this development reports for the first time. */
    readonly claims?: readonly NewClaim[];
    /** Ids of earlier claims this development confirms. */
    readonly confirms?: readonly string[];
    /** Ids of earlier claims this development disputes. */
    readonly disputes?: readonly string[];
  }
>;

export type ReviseStory = Message<'ReviseStory', { readonly headline?: string; readonly summary?: string; readonly reason: string }>;

export type CiteSource = Message<
  'CiteSource',
  { readonly sourceId: string; readonly url: string; readonly publisher: string; readonly title?: string }
>;

export type IssueCorrection = Message<
  'IssueCorrection',
  {
    readonly correctionId: string;
    readonly target: CorrectionTarget;
    readonly correctedText?: string;
    readonly note: string;
    /** Defaults to 'correction'. */
    readonly kind?: CorrectionKind;
  }
>;

export type RetractDevelopment = Message<'RetractDevelopment', { readonly developmentId: string; readonly reason: string }>;

export type RetractClaim = Message<
  'RetractClaim',
  {
    readonly claimId: string;
    readonly reason: string;
    /** The development that prompted the retraction, if any. */
    readonly developmentId?: string;
  }
>;

export type PublishStory = Message<'PublishStory', Record<string, never>>;

export type WithdrawStory = Message<'WithdrawStory', { readonly reason: string }>;

export type StoryCommand =
  | OpenStory
  | LogDevelopment
  | ReviseStory
  | CiteSource
  | IssueCorrection
  | RetractDevelopment
  | RetractClaim
  | PublishStory
  | WithdrawStory;

export type StoryCommandType = StoryCommand['type'];
