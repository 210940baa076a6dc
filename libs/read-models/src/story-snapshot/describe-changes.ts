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

interface ListLines<T> {
  added(item: T): string;
  changed(before: T, after: T, lines: string[]): void;
  removed(item: T): string;
}

/**
 * The lines for one list of a snapshot: items added (in `to`'s order), changed, then removed (in
 * `from`'s order). The fold copies only what an event changes, so between adjacent revisions
 * most items (and often the whole list) are the same object in both: those can have no line and
 * are skipped without a lookup. Only what is left is matched by id, so the lines are the same as
 * comparing every item by id, at a cost that follows the change rather than the story's size.
 */
function describeList<T extends { readonly id: string }>(lines: string[], from: readonly T[], to: readonly T[], describe: ListLines<T>): void {
  if (from === to) return;
  let same = 0;
  while (same < from.length && same < to.length && from[same] === to[same]) same += 1;
  if (same === from.length && same === to.length) return;
  const fromRest = from.slice(same);
  const fromById = byId(fromRest);
  for (let i = same; i < to.length; i += 1) {
    const item = to[i] as T;
    const before = fromById.get(item.id);
    if (!before) lines.push(describe.added(item));
    else if (before !== item) describe.changed(before, item, lines);
  }
  if (same === from.length) return;
  const toIds = new Set(to.slice(same).map((item) => item.id));
  for (const item of fromRest) if (!toIds.has(item.id)) lines.push(describe.removed(item));
}

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

  describeList(lines, from.developments, to.developments, {
    added: (dev) => `development added (${dev.kind}): ${quote(dev.text)}${dev.status === 'retracted' ? ' (since retracted)' : ''}`,
    changed: (before, dev, out) => {
      if (before.text !== dev.text) out.push(`development ${quote(before.text)} corrected to ${quote(dev.text)}`);
      if (before.status !== dev.status) out.push(`development ${quote(dev.text)} ${before.status === 'active' ? 'retracted' : 'restored'}`);
      if (before.corrections.length < dev.corrections.length && before.text === dev.text) {
        out.push(`development ${quote(dev.text)} clarified: ${quote(dev.corrections.at(-1)?.note ?? '')}`);
      }
    },
    removed: (dev) => `development removed (${dev.kind}): ${quote(dev.text)}`,
  });
  describeList(lines, from.claims, to.claims, {
    added: (claim) => (claim.status === 'reported' ? `claim ${quote(claim.text)} reported` : `claim ${quote(claim.text)} reported -> ${claim.status}`),
    changed: (before, claim, out) => {
      if (before.text !== claim.text) out.push(`claim ${quote(before.text)} corrected to ${quote(claim.text)}`);
      if (before.status !== claim.status) out.push(`claim ${quote(claim.text)} ${before.status} -> ${claim.status}`);
    },
    removed: (claim) => `claim ${quote(claim.text)} removed`,
  });
  describeList(lines, from.sources, to.sources, {
    added: (source) => `source cited: ${source.publisher}${source.title ? ` — ${quote(source.title)}` : ''}`,
    changed: () => undefined,
    removed: (source) => `source removed: ${source.publisher}`,
  });
  describeList(lines, from.corrections, to.corrections, {
    added: (correction) => `${correction.kind} issued (${correction.target.type}): ${quote(correction.note)}`,
    changed: () => undefined,
    removed: (correction) => `${correction.kind} removed (${correction.target.type}): ${quote(correction.note)}`,
  });
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
