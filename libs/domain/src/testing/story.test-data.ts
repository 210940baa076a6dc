import type { LogDevelopment, StoryCommand } from '../story/story.commands';
import type {
  Attribution,
  ClaimConfirmed,
  ClaimReported,
  ClaimRetracted,
  DevelopmentLogged,
  DevelopmentRetracted,
  SourceCited,
  StoryOpened,
  StoryPublished,
  StoryWithdrawn,
} from '../story/story.events';

/**
 * Builders for the histories decider specs start from. Each has defaults that make a valid
 * event; a spec overrides only what its case is about, so the case stays visible.
 */

export const STORY_ID = '0b3e5c1a-7d2f-4e8a-9c61-5f0d2a7b8e10';
export const SOURCE_ID = '1c4f6d2b-8e3a-4f9b-8d72-6a1e3b8c9f21';
export const DEVELOPMENT_ID = '2d5a7e3c-9f4b-4a0c-9e83-7b2f4c9d0a32';
export const OTHER_DEVELOPMENT_ID = '3e6b8f4d-0a5c-4b1d-8f94-8c3a5d0e1b43';
export const CLAIM_ID = '4f7c9a5e-1b6d-4c2e-9a05-9d4b6e1f2c54';
export const OTHER_CLAIM_ID = '5a8d0b6f-2c7e-4d3f-8b16-0e5c7f2a3d65';
export const CORRECTION_ID = '6b9e1c7a-3d8f-4e4a-9c27-1f6d8a3b4e76';

export const HEADLINE = 'Regional ISIS commander killed in airstrike';
export const SUMMARY = 'Officials say a joint operation killed the commander.';

export const namedSource: Attribution = { name: 'Jane Official', role: 'Spokesperson', anonymous: false };

export const storyOpened = (data: Partial<StoryOpened['data']> = {}): StoryOpened => ({
  type: 'StoryOpened',
  data: { storyId: STORY_ID, slug: 'regional-isis-commander-killed-in-airstrike', headline: HEADLINE, desk: 'world', language: 'en', ...data },
});

export const sourceCited = (data: Partial<SourceCited['data']> = {}): SourceCited => ({
  type: 'SourceCited',
  data: { sourceId: SOURCE_ID, url: 'https://example.org/story', publisher: 'Example Wire', ...data },
});

export const developmentLogged = (data: Partial<DevelopmentLogged['data']> = {}): DevelopmentLogged => ({
  type: 'DevelopmentLogged',
  data: { developmentId: DEVELOPMENT_ID, kind: 'report', text: 'A strike was reported.', attribution: namedSource, sourceIds: [], ...data },
});

export const claimReported = (data: Partial<ClaimReported['data']> = {}): ClaimReported => ({
  type: 'ClaimReported',
  data: { claimId: CLAIM_ID, text: 'The commander was killed.', developmentId: DEVELOPMENT_ID, attribution: namedSource, ...data },
});

export const claimConfirmed = (data: Partial<ClaimConfirmed['data']> = {}): ClaimConfirmed => ({
  type: 'ClaimConfirmed',
  data: { claimId: CLAIM_ID, developmentId: OTHER_DEVELOPMENT_ID, attribution: namedSource, ...data },
});

export const claimRetracted = (data: Partial<ClaimRetracted['data']> = {}): ClaimRetracted => ({
  type: 'ClaimRetracted',
  data: { claimId: CLAIM_ID, reason: 'The source withdrew it.', ...data },
});

export const developmentRetracted = (data: Partial<DevelopmentRetracted['data']> = {}): DevelopmentRetracted => ({
  type: 'DevelopmentRetracted',
  data: { developmentId: DEVELOPMENT_ID, reason: 'Could not be verified.', ...data },
});

export const storyPublished = (): StoryPublished => ({ type: 'StoryPublished', data: {} });

export const storyWithdrawn = (reason = 'Legal review.'): StoryWithdrawn => ({ type: 'StoryWithdrawn', data: { reason } });

/** The usual history: an opened story, a cited source, one report carrying one claim. */
export const withReportedClaim = (): readonly [StoryOpened, SourceCited, DevelopmentLogged, ClaimReported] => [
  storyOpened(),
  sourceCited(),
  developmentLogged({ sourceIds: [SOURCE_ID] }),
  claimReported(),
];

export const logDevelopment = (data: Partial<LogDevelopment['data']> = {}): LogDevelopment => ({
  type: 'LogDevelopment',
  data: { developmentId: OTHER_DEVELOPMENT_ID, kind: 'report', text: 'Another development.', attribution: namedSource, ...data },
});

/** One valid command of every type but OpenStory, for rules that hold whatever the command. */
export const everyCommandButOpenStory = (): readonly StoryCommand[] => [
  logDevelopment(),
  { type: 'ReviseStory', data: { headline: 'A new headline', reason: 'New facts.' } },
  { type: 'CiteSource', data: { sourceId: 'another-source', url: 'https://example.org/other', publisher: 'Other Wire' } },
  { type: 'IssueCorrection', data: { correctionId: CORRECTION_ID, target: { type: 'headline' }, correctedText: 'Corrected headline', note: 'We fixed the headline.' } },
  { type: 'RetractDevelopment', data: { developmentId: DEVELOPMENT_ID, reason: 'Unverified.' } },
  { type: 'RetractClaim', data: { claimId: CLAIM_ID, reason: 'Unverified.' } },
  { type: 'PublishStory', data: {} },
  { type: 'WithdrawStory', data: { reason: 'Legal review.' } },
];
