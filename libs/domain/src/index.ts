/**
 * @newsroom/domain: the story as a pure decider (events, commands, state, decide/evolve)
 * and the event envelope with its hash chain. No I/O; consumers import only from here.
 */

export type { Decider, Message } from './shared/decider';

export type {
  Attribution,
  ClaimConfirmed,
  ClaimDisputed,
  ClaimReported,
  ClaimRetracted,
  CorrectionIssued,
  CorrectionKind,
  CorrectionTarget,
  DevelopmentKind,
  DevelopmentLogged,
  DevelopmentRetracted,
  HeadlineRevised,
  OccurredAt,
  SourceCited,
  StoryEvent,
  StoryEventType,
  StoryOpened,
  StoryPublished,
  StoryWithdrawn,
  SummaryRevised,
  TimePrecision,
} from './story/story.events';
export { isStoryEventType, storyEventSchemaVersions, storyEventTypes } from './story/story.events';

export type {
  CiteSource,
  IssueCorrection,
  LogDevelopment,
  NewClaim,
  OpenStory,
  PublishStory,
  RetractClaim,
  RetractDevelopment,
  ReviseStory,
  StoryCommand,
  StoryCommandType,
  WithdrawStory,
} from './story/story.commands';

export type { AbsentStory, ClaimState, ClaimStatus, DevelopmentState, OpenedStory, StoryState } from './story/story.state';
export { evolve, initialState } from './story/story.state';
export { STORY_STATE_SNAPSHOT_VERSION, storyStateFromJson, storyStateJsonPieces, storyStateToJson } from './story/story.state-snapshot';
export { decide, storyDecider } from './story/story.decide';
export { SLUG_MAX_LENGTH, slugify } from './story/slugify';
export { HEADLINE_MAX_LENGTH, HEADLINE_MIN_LENGTH } from './story/story.validation';
export { STORY_STREAM_PREFIX, storyStreamId } from './story/story.stream';

export type { DomainErrorCategory, DomainErrorDetails } from './story/story.errors';
export {
  AnonymityReasonRequired,
  ClaimAlreadyExists,
  ClaimIsRetracted,
  ClaimNotFound,
  CorrectedTextRequired,
  CorrectionAlreadyIssued,
  DevelopmentAlreadyExists,
  DevelopmentIsRetracted,
  DevelopmentNotFound,
  DomainError,
  InvalidField,
  InvalidHeadline,
  NothingToRevise,
  RequiredFieldMissing,
  SourceAlreadyCited,
  SourceNotFound,
  StoryAlreadyExists,
  StoryAlreadyPublished,
  StoryIsWithdrawn,
  StoryNotFound,
  UnknownEventType,
} from './story/story.errors';

export type { JsonObject, JsonPrimitive, JsonValue } from './envelope/canonical-json';
export { canonicalJson, NotCanonicalizable, toJsonObject } from './envelope/canonical-json';
export type {
  ChainBreak,
  ChainVerification,
  EventHashInput,
  EventMetadata,
  SealedEvent,
  SealedMetadata,
  SealInput,
  StoredEventForVerification,
} from './envelope/event-envelope';
export { computeEventHash, GENESIS_HASH, sealEvents, verifyChain } from './envelope/event-envelope';
export { reasonOf } from './envelope/metadata-reason';
export { toStoryEvent } from './envelope/stored-event';
