import { ClaimIsRetracted, ClaimNotFound, DevelopmentIsRetracted, DevelopmentNotFound } from './story.errors';
import type { ClaimState, DevelopmentState, OpenedStory } from './story.state';

/** A development that exists and still stands: the only kind that can be corrected or retracted. */
export function liveDevelopment(state: OpenedStory, developmentId: string): DevelopmentState {
  const development = state.developments.get(developmentId);
  if (development === undefined) throw new DevelopmentNotFound(developmentId);
  if (development.retracted) throw new DevelopmentIsRetracted(developmentId);
  return development;
}

/** A claim that exists and still stands: the only kind that can be confirmed, disputed, corrected or retracted. */
export function liveClaim(state: OpenedStory, claimId: string): ClaimState {
  const claim = state.claims.get(claimId);
  if (claim === undefined) throw new ClaimNotFound(claimId);
  if (claim.status === 'retracted') throw new ClaimIsRetracted(claimId);
  return claim;
}
