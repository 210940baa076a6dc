import { withoutUndefined } from '../shared/without-undefined';
import type { LogDevelopment, NewClaim, RetractClaim, RetractDevelopment } from './story.commands';
import { ClaimAlreadyExists, DevelopmentAlreadyExists, DevelopmentNotFound, InvalidField, SourceNotFound } from './story.errors';
import type { StoryEvent } from './story.events';
import { liveClaim, liveDevelopment } from './story.lookups';
import type { OpenedStory } from './story.state';
import { optionalText, requireText, validAttribution, validOccurredAt } from './story.validation';

/**
 * One development may carry several facts at once: "the prime minister confirmed it" is a
 * development *and* the confirmation of an earlier claim. So it yields DevelopmentLogged,
 * then ClaimReported per new claim, ClaimConfirmed per confirmation and ClaimDisputed per
 * dispute, each in the order given, all appended together.
 */
export function logDevelopment(command: LogDevelopment['data'], state: OpenedStory): StoryEvent[] {
  const { developmentId, kind } = command;
  const text = requireText(command.text, 'text');
  const attribution = validAttribution(command.attribution, 'attribution');
  const occurredAt = command.occurredAt === undefined ? undefined : validOccurredAt(command.occurredAt, 'occurredAt');
  const claims = (command.claims ?? []).map((claim, i) => ({ ...claim, text: requireText(claim.text, `claims[${i}].text`) }));
  const sourceIds = command.sourceIds ?? [];
  const confirms = command.confirms ?? [];
  const disputes = command.disputes ?? [];
  rejectContradictions(confirms, disputes);

  if (state.developments.has(developmentId)) throw new DevelopmentAlreadyExists(developmentId);
  for (const sourceId of sourceIds) if (!state.sources.has(sourceId)) throw new SourceNotFound(sourceId);
  rejectDuplicateClaims(claims, state);
  for (const claimId of [...confirms, ...disputes]) liveClaim(state, claimId);

  const ref = { developmentId, attribution };
  return [
    {
      type: 'DevelopmentLogged',
      data: withoutUndefined({
        developmentId,
        kind,
        text,
        occurredAt,
        location: optionalText(command.location),
        attribution,
        quote: optionalText(command.quote),
        sourceIds: [...sourceIds],
      }),
    },
    ...claims.map((claim): StoryEvent => ({ type: 'ClaimReported', data: { claimId: claim.claimId, text: claim.text, ...ref } })),
    ...confirms.map((claimId): StoryEvent => ({ type: 'ClaimConfirmed', data: { claimId, ...ref } })),
    ...disputes.map((claimId): StoryEvent => ({ type: 'ClaimDisputed', data: { claimId, ...ref } })),
  ];
}

function rejectContradictions(confirms: readonly string[], disputes: readonly string[]): void {
  const index = disputes.findIndex((claimId) => confirms.includes(claimId));
  if (index >= 0) throw new InvalidField(`disputes[${index}]`, 'is also confirmed: one development cannot both confirm and dispute a claim');
}

function rejectDuplicateClaims(claims: readonly NewClaim[], state: OpenedStory): void {
  const seen = new Set<string>();
  for (const { claimId } of claims) {
    if (state.claims.has(claimId) || seen.has(claimId)) throw new ClaimAlreadyExists(claimId);
    seen.add(claimId);
  }
}

export function retractDevelopment(command: RetractDevelopment['data'], state: OpenedStory): StoryEvent[] {
  const reason = requireText(command.reason, 'reason');
  liveDevelopment(state, command.developmentId);
  return [{ type: 'DevelopmentRetracted', data: { developmentId: command.developmentId, reason } }];
}

export function retractClaim(command: RetractClaim['data'], state: OpenedStory): StoryEvent[] {
  const reason = requireText(command.reason, 'reason');
  liveClaim(state, command.claimId);
  const { developmentId } = command;
  // The development that prompted it only has to exist: citing a retracted one is still a true record.
  if (developmentId !== undefined && !state.developments.has(developmentId)) throw new DevelopmentNotFound(developmentId);
  return [
    {
      type: 'ClaimRetracted',
      data: withoutUndefined({ claimId: command.claimId, reason, developmentId }),
    },
  ];
}
