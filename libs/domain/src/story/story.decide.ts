import { assertNever } from '../shared/assert-never';
import type { Decider } from '../shared/decider';
import { withoutUndefined } from '../shared/without-undefined';
import { issueCorrection } from './correction.decide';
import { logDevelopment, retractClaim, retractDevelopment } from './development.decide';
import { storySlug } from './slugify';
import type { CiteSource, OpenStory, ReviseStory, StoryCommand } from './story.commands';
import { NothingToRevise, SourceAlreadyCited, StoryAlreadyExists, StoryAlreadyPublished, StoryIsWithdrawn, StoryNotFound } from './story.errors';
import type { StoryEvent } from './story.events';
import { evolve, initialState, type OpenedStory, type StoryState } from './story.state';
import { optionalText, requireText, validHeadline, validLanguage, validUrl } from './story.validation';

const DEFAULT_LANGUAGE = 'en';

/**
 * What happens when an editor issues `command` against the story as it stands. Pure: the
 * same command and state always give the same events or the same `DomainError`.
 */
export function decide(command: StoryCommand, state: StoryState): StoryEvent[] {
  if (command.type === 'OpenStory') {
    if (state.status !== 'absent') throw new StoryAlreadyExists(state.storyId);
    return openStory(command.data);
  }
  if (state.status === 'absent') throw new StoryNotFound();
  // A withdrawn story is closed for good: the record of why it was pulled is its last word.
  if (state.status === 'withdrawn') throw new StoryIsWithdrawn(state.storyId);

  switch (command.type) {
    case 'LogDevelopment':
      return logDevelopment(command.data, state);
    case 'ReviseStory':
      return reviseStory(command.data, state);
    case 'CiteSource':
      return citeSource(command.data, state);
    case 'IssueCorrection':
      return issueCorrection(command.data, state);
    case 'RetractDevelopment':
      return retractDevelopment(command.data, state);
    case 'RetractClaim':
      return retractClaim(command.data, state);
    case 'PublishStory':
      if (state.status === 'published') throw new StoryAlreadyPublished(state.storyId);
      return [{ type: 'StoryPublished', data: {} }];
    case 'WithdrawStory':
      return [{ type: 'StoryWithdrawn', data: { reason: requireText(command.data.reason, 'reason') } }];
    default:
      return assertNever(command, 'story command');
  }
}

export const storyDecider: Decider<StoryState, StoryCommand, StoryEvent> = { decide, evolve, initialState };

function openStory(command: OpenStory['data']): StoryEvent[] {
  const headline = validHeadline(command.headline, 'headline');
  const data = withoutUndefined({
    storyId: command.storyId,
    slug: storySlug(command.slug, headline, command.storyId),
    headline,
    desk: requireText(command.desk, 'desk'),
    summary: optionalText(command.summary),
    language: validLanguage(command.language ?? DEFAULT_LANGUAGE, 'language'),
  });
  return [{ type: 'StoryOpened', data }];
}

function reviseStory(command: ReviseStory['data'], state: OpenedStory): StoryEvent[] {
  const reason = requireText(command.reason, 'reason');
  const headline = command.headline === undefined ? undefined : validHeadline(command.headline, 'headline');
  const summary = command.summary === undefined ? undefined : requireText(command.summary, 'summary');
  const events: StoryEvent[] = [];
  if (headline !== undefined && headline !== state.headline) {
    events.push({ type: 'HeadlineRevised', data: { headline, previousHeadline: state.headline, reason } });
  }
  if (summary !== undefined && summary !== state.summary) {
    events.push({ type: 'SummaryRevised', data: withoutUndefined({ summary, previousSummary: state.summary, reason }) });
  }
  if (events.length === 0) throw new NothingToRevise();
  return events;
}

function citeSource(command: CiteSource['data'], state: OpenedStory): StoryEvent[] {
  const url = validUrl(command.url, 'url');
  const publisher = requireText(command.publisher, 'publisher');
  if (state.sources.has(command.sourceId)) throw new SourceAlreadyCited(command.sourceId);
  const data = withoutUndefined({ sourceId: command.sourceId, url, publisher, title: optionalText(command.title) });
  return [{ type: 'SourceCited', data }];
}
