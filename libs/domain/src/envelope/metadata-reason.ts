import { assertNever } from '../shared/assert-never';
import type { StoryCommand } from '../story/story.commands';

/**
 * The "why" an editor gave, for `EventMetadata.reason`, so an audit of the raw stream can
 * answer it without knowing each event's data. A correction's reason is its public note.
 */
export function reasonOf(command: StoryCommand): string | undefined {
  switch (command.type) {
    case 'ReviseStory':
    case 'RetractDevelopment':
    case 'RetractClaim':
    case 'WithdrawStory':
      return nonBlank(command.data.reason);
    case 'IssueCorrection':
      return nonBlank(command.data.note);
    case 'OpenStory':
    case 'LogDevelopment':
    case 'CiteSource':
    case 'PublishStory':
      return undefined;
    default:
      return assertNever(command, 'story command');
  }
}

function nonBlank(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}
