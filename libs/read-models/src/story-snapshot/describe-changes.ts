import type { StoryEvent } from '@newsroom/domain';
import type { StorySnapshot } from './story-snapshot';

const MAX_QUOTED = 80;

/** Quotes a text for a human line, cut at a word boundary when long. */
export function quote(text: string): string {
  if (text.length <= MAX_QUOTED) return `"${text}"`;
  const cut = text.slice(0, MAX_QUOTED);
  const space = cut.lastIndexOf(' ');
  return `"${(space > MAX_QUOTED / 2 ? cut.slice(0, space) : cut).trimEnd()}…"`;
}

const byId = <T extends { readonly id: string }>(items: readonly T[]): Map<string, T> => new Map(items.map((item) => [item.id, item]));

/**
 * What changed between two snapshots of one story, as lines an editor or auditor can read:
 * `headline "…" -> "…"`, `claim "…" reported -> confirmed`, `development added (report): "…"`.
 * Works for any two revisions, adjacent or not, in either direction.
 */
export function describeChanges(from: StorySnapshot, to: StorySnapshot): string[] {
  const lines: string[] = [];
  if (from.headline !== to.headline) lines.push(`headline ${quote(from.headline)} -> ${quote(to.headline)}`);
  if (from.summary !== to.summary) {
    lines.push(from.summary === null ? `summary set to ${quote(to.summary ?? '')}` : `summary ${quote(from.summary)} -> ${to.summary === null ? 'removed' : quote(to.summary)}`);
  }
  if (from.status !== to.status) lines.push(`status ${from.status} -> ${to.status}`);

  const fromDevelopments = byId(from.developments);
  const toDevelopments = byId(to.developments);
  for (const dev of to.developments) {
    const before = fromDevelopments.get(dev.id);
    if (!before) {
      lines.push(`development added (${dev.kind}): ${quote(dev.text)}${dev.status === 'retracted' ? ' (since retracted)' : ''}`);
      continue;
    }
    if (before.text !== dev.text) lines.push(`development ${quote(before.text)} corrected to ${quote(dev.text)}`);
    if (before.status !== dev.status) lines.push(`development ${quote(dev.text)} ${before.status === 'active' ? 'retracted' : 'restored'}`);
    if (before.corrections.length < dev.corrections.length && before.text === dev.text) {
      lines.push(`development ${quote(dev.text)} clarified: ${quote(dev.corrections.at(-1)?.note ?? '')}`);
    }
  }
  for (const dev of from.developments) {
    if (!toDevelopments.has(dev.id)) lines.push(`development removed (${dev.kind}): ${quote(dev.text)}`);
  }

  const fromClaims = byId(from.claims);
  const toClaims = byId(to.claims);
  for (const claim of to.claims) {
    const before = fromClaims.get(claim.id);
    if (!before) {
      lines.push(claim.status === 'reported' ? `claim ${quote(claim.text)} reported` : `claim ${quote(claim.text)} reported -> ${claim.status}`);
      continue;
    }
    if (before.text !== claim.text) lines.push(`claim ${quote(before.text)} corrected to ${quote(claim.text)}`);
    if (before.status !== claim.status) lines.push(`claim ${quote(claim.text)} ${before.status} -> ${claim.status}`);
  }
  for (const claim of from.claims) {
    if (!toClaims.has(claim.id)) lines.push(`claim ${quote(claim.text)} removed`);
  }

  const fromSources = byId(from.sources);
  for (const source of to.sources) {
    if (!fromSources.has(source.id)) lines.push(`source cited: ${source.publisher}${source.title ? ` — ${quote(source.title)}` : ''}`);
  }
  const toSources = byId(to.sources);
  for (const source of from.sources) {
    if (!toSources.has(source.id)) lines.push(`source removed: ${source.publisher}`);
  }

  const fromCorrections = byId(from.corrections);
  for (const correction of to.corrections) {
    if (!fromCorrections.has(correction.id)) lines.push(`${correction.kind} issued (${correction.target.type}): ${quote(correction.note)}`);
  }
  const toCorrections = byId(to.corrections);
  for (const correction of from.corrections) {
    if (!toCorrections.has(correction.id)) lines.push(`${correction.kind} removed (${correction.target.type}): ${quote(correction.note)}`);
  }
  return lines;
}

/** One human sentence for a revision, for the revisions list. */
export function summarizeEvent(event: StoryEvent, before: StorySnapshot | null, after: StorySnapshot, editorId: string): string {
  const who = editorId;
  switch (event.type) {
    case 'StoryOpened':
      return `${who} opened the story on the ${event.data.desk} desk: ${quote(event.data.headline)}.`;
    case 'DevelopmentLogged': {
      const source = event.data.attribution.anonymous ? 'an anonymous source' : (event.data.attribution.name ?? event.data.attribution.affiliation ?? event.data.attribution.role);
      return `${who} logged a ${event.data.kind}${source ? ` from ${source}` : ''}: ${quote(event.data.text)}.`;
    }
    case 'ClaimReported':
      return `${who} recorded the claim ${quote(event.data.text)} as reported.`;
    case 'ClaimConfirmed':
    case 'ClaimDisputed':
    case 'ClaimRetracted': {
      const claim = after.claims.find((c) => c.id === event.data.claimId);
      const previous = before?.claims.find((c) => c.id === event.data.claimId)?.status ?? 'unknown';
      return `${who} moved the claim ${quote(claim?.text ?? event.data.claimId)} from ${previous} to ${claim?.status ?? 'unknown'}.`;
    }
    case 'HeadlineRevised':
      return `${who} revised the headline to ${quote(event.data.headline)} (${event.data.reason}).`;
    case 'SummaryRevised':
      return `${who} revised the summary (${event.data.reason}).`;
    case 'SourceCited':
      return `${who} cited ${event.data.publisher}${event.data.title ? `: ${quote(event.data.title)}` : ''}.`;
    case 'CorrectionIssued':
      return `${who} issued a ${event.data.kind} of the ${event.data.target.type}: ${quote(event.data.note)}.`;
    case 'DevelopmentRetracted': {
      const dev = after.developments.find((d) => d.id === event.data.developmentId);
      return `${who} retracted the development ${quote(dev?.text ?? event.data.developmentId)} (${event.data.reason}).`;
    }
    case 'StoryPublished':
      return `${who} published the story.`;
    case 'StoryWithdrawn':
      return `${who} withdrew the story (${event.data.reason}).`;
    default: {
      const unhandled: never = event;
      return `Unknown event ${(unhandled as { type: string }).type}.`;
    }
  }
}
