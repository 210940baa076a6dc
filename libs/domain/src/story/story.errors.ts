/**
 * Expected failures of `decide`. The HTTP edge maps `category` to a status (400/404/409) in
 * one place and passes `code` and `details` through, so codes are part of the public API:
 * never rename one.
 */

export type DomainErrorCategory = 'invalid' | 'not_found' | 'conflict';

/** `path` names the offending command field, e.g. 'attribution.anonymityReason' or 'claims[1].text'. */
export type DomainErrorDetails = Readonly<Record<string, string | number>>;

export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly category: DomainErrorCategory;
  readonly details: DomainErrorDetails | undefined;

  protected constructor(message: string, details?: DomainErrorDetails) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

// ---- invalid ---------------------------------------------------------------------------

/** A required text field is missing or only whitespace. */
export class RequiredFieldMissing extends DomainError {
  readonly code = 'FIELD_REQUIRED';
  readonly category = 'invalid';
  constructor(path: string) {
    super(`${path} must not be blank`, { path });
  }
}

/** A field is present but malformed (a date, a URL, a slug, a language tag...). */
export class InvalidField extends DomainError {
  readonly code = 'FIELD_INVALID';
  readonly category = 'invalid';
  constructor(path: string, problem: string) {
    super(`${path} ${problem}`, { path });
  }
}

export class InvalidHeadline extends DomainError {
  readonly code = 'HEADLINE_INVALID';
  readonly category = 'invalid';
  constructor(path: string, minLength: number, maxLength: number) {
    super(`${path} must be ${minLength}-${maxLength} characters after trimming`, { path, minLength, maxLength });
  }
}

export class AnonymityReasonRequired extends DomainError {
  readonly code = 'ANONYMITY_REASON_REQUIRED';
  readonly category = 'invalid';
  constructor(path: string) {
    super('An anonymous source needs a reason for the anonymity', { path });
  }
}

/** A headline correction, or a summary correction on a story without a summary, must say what the text becomes. */
export class CorrectedTextRequired extends DomainError {
  readonly code = 'CORRECTED_TEXT_REQUIRED';
  readonly category = 'invalid';
  constructor(targetType: string) {
    super(`A correction of the ${targetType} needs correctedText`, { path: 'correctedText' });
  }
}

export class NothingToRevise extends DomainError {
  readonly code = 'NOTHING_TO_REVISE';
  readonly category = 'invalid';
  constructor() {
    super('Nothing to revise: give a headline or summary that differs from the current one');
  }
}

// ---- not found -------------------------------------------------------------------------

export class StoryNotFound extends DomainError {
  readonly code = 'STORY_NOT_FOUND';
  readonly category = 'not_found';
  constructor() {
    super('The story has not been opened');
  }
}

export class DevelopmentNotFound extends DomainError {
  readonly code = 'DEVELOPMENT_NOT_FOUND';
  readonly category = 'not_found';
  constructor(developmentId: string) {
    super(`Development ${developmentId} not found`, { developmentId });
  }
}

export class ClaimNotFound extends DomainError {
  readonly code = 'CLAIM_NOT_FOUND';
  readonly category = 'not_found';
  constructor(claimId: string) {
    super(`Claim ${claimId} not found`, { claimId });
  }
}

/** A development referenced a source that was never cited on this story. */
export class SourceNotFound extends DomainError {
  readonly code = 'SOURCE_NOT_FOUND';
  readonly category = 'not_found';
  constructor(sourceId: string) {
    super(`Source ${sourceId} has not been cited on this story`, { sourceId });
  }
}

// ---- conflict --------------------------------------------------------------------------

export class StoryAlreadyExists extends DomainError {
  readonly code = 'STORY_ALREADY_EXISTS';
  readonly category = 'conflict';
  constructor(storyId: string) {
    super(`Story ${storyId} already exists`, { storyId });
  }
}

export class StoryIsWithdrawn extends DomainError {
  readonly code = 'STORY_WITHDRAWN';
  readonly category = 'conflict';
  constructor(storyId: string) {
    super(`Story ${storyId} has been withdrawn and can no longer change`, { storyId });
  }
}

export class StoryAlreadyPublished extends DomainError {
  readonly code = 'STORY_ALREADY_PUBLISHED';
  readonly category = 'conflict';
  constructor(storyId: string) {
    super(`Story ${storyId} is already published`, { storyId });
  }
}

export class DevelopmentAlreadyExists extends DomainError {
  readonly code = 'DEVELOPMENT_ALREADY_EXISTS';
  readonly category = 'conflict';
  constructor(developmentId: string) {
    super(`Development ${developmentId} already exists`, { developmentId });
  }
}

export class ClaimAlreadyExists extends DomainError {
  readonly code = 'CLAIM_ALREADY_EXISTS';
  readonly category = 'conflict';
  constructor(claimId: string) {
    super(`Claim ${claimId} already exists`, { claimId });
  }
}

export class SourceAlreadyCited extends DomainError {
  readonly code = 'SOURCE_ALREADY_CITED';
  readonly category = 'conflict';
  constructor(sourceId: string) {
    super(`Source ${sourceId} is already cited`, { sourceId });
  }
}

export class CorrectionAlreadyIssued extends DomainError {
  readonly code = 'CORRECTION_ALREADY_ISSUED';
  readonly category = 'conflict';
  constructor(correctionId: string) {
    super(`Correction ${correctionId} has already been issued`, { correctionId });
  }
}

export class DevelopmentIsRetracted extends DomainError {
  readonly code = 'DEVELOPMENT_RETRACTED';
  readonly category = 'conflict';
  constructor(developmentId: string) {
    super(`Development ${developmentId} has been retracted`, { developmentId });
  }
}

export class ClaimIsRetracted extends DomainError {
  readonly code = 'CLAIM_RETRACTED';
  readonly category = 'conflict';
  constructor(claimId: string) {
    super(`Claim ${claimId} has been retracted`, { claimId });
  }
}

// ---- not a command failure -------------------------------------------------------------

/**
 * A stored event whose type this code does not know: a bug or a newer writer, never the
 * editor's fault. Deliberately not a `DomainError`, so the edge answers 500, not 4xx.
 */
export class UnknownEventType extends Error {
  readonly code = 'UNKNOWN_EVENT_TYPE';
  constructor(readonly eventType: string) {
    super(`Unknown story event type "${eventType}"`);
    this.name = 'UnknownEventType';
  }
}
