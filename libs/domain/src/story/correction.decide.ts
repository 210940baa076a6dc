import { assertNever } from '../shared/assert-never';
import { withoutUndefined } from '../shared/without-undefined';
import type { IssueCorrection } from './story.commands';
import { CorrectedTextRequired, CorrectionAlreadyIssued } from './story.errors';
import type { CorrectionTarget, StoryEvent } from './story.events';
import { liveClaim, liveDevelopment } from './story.lookups';
import type { OpenedStory } from './story.state';
import { optionalText, requireText, validHeadline } from './story.validation';

/**
 * A correction is public: it always carries the note readers will see. It may also replace
 * the wording of what it corrects; the original stays in the stream (and in state) for the record.
 */
export function issueCorrection(command: IssueCorrection['data'], state: OpenedStory): StoryEvent[] {
  const note = requireText(command.note, 'note');
  const correctedText = checkedCorrectedText(command.target, optionalText(command.correctedText), state);
  if (state.corrections.has(command.correctionId)) throw new CorrectionAlreadyIssued(command.correctionId);
  return [
    {
      type: 'CorrectionIssued',
      data: withoutUndefined({
        correctionId: command.correctionId,
        target: command.target,
        correctedText,
        note,
        kind: command.kind ?? 'correction',
      }),
    },
  ];
}

function checkedCorrectedText(target: CorrectionTarget, correctedText: string | undefined, state: OpenedStory): string | undefined {
  switch (target.type) {
    case 'headline':
      // A headline is always shown, so "correcting" it without new wording would change nothing readers see.
      if (correctedText === undefined) throw new CorrectedTextRequired('headline');
      return validHeadline(correctedText, 'correctedText');
    case 'summary':
      if (correctedText === undefined && state.summary === undefined) throw new CorrectedTextRequired('summary');
      return correctedText;
    case 'development':
      liveDevelopment(state, target.id);
      return correctedText;
    case 'claim':
      liveClaim(state, target.id);
      return correctedText;
    default:
      return assertNever(target, 'correction target');
  }
}
