import type { StoryCommand } from '../story/story.commands';
import { decide } from '../story/story.decide';
import type { DomainError, DomainErrorCategory, DomainErrorDetails } from '../story/story.errors';
import type { StoryEvent } from '../story/story.events';
import { evolve, initialState, type OpenedStory, type StoryState } from '../story/story.state';

/**
 * Decider specs read as: given these past events, when this command, then these new events
 * (or this error). Test-only: not exported from the library's index.
 */

type DomainErrorClass = abstract new (...args: never[]) => DomainError;

interface ExpectedError {
  readonly code?: string;
  readonly category?: DomainErrorCategory;
  readonly details?: DomainErrorDetails;
}

export function fold(...history: readonly StoryEvent[]): StoryState {
  return history.reduce(evolve, initialState());
}

/** The state after `history`, which must have opened the story. */
export function foldOpened(...history: readonly StoryEvent[]): OpenedStory {
  const state = fold(...history);
  if (state.status === 'absent') throw new Error('history does not open the story');
  return state;
}

export function given(...history: readonly StoryEvent[]) {
  return {
    when(command: StoryCommand) {
      const state = fold(...history);
      return {
        /**
         * Strict equality, so a stray `key: undefined` (which the hash chain refuses) fails.
         * Returns the state after the new events, which a successful command always leaves open.
         */
        then(expected: readonly StoryEvent[]): OpenedStory {
          const events = decide(command, state);
          expect(events).toStrictEqual(expected);
          return foldOpened(...history, ...events);
        },
        thenThrows(errorClass: DomainErrorClass, expected?: ExpectedError): void {
          let thrown: unknown;
          try {
            decide(command, state);
          } catch (error: unknown) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(errorClass);
          if (expected !== undefined) expect(thrown).toMatchObject(expected);
        },
      };
    },
  };
}
