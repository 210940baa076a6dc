import { UnknownEventType } from '../story/story.errors';
import { isStoryEventType, type StoryEvent } from '../story/story.events';

/**
 * A stored event back as a `StoryEvent` for `evolve`. Only the type name is checked: the
 * data was produced by `decide` and sealed by the hash chain, and re-validating every field
 * on every replay would cost more than it could catch.
 *
 * @throws UnknownEventType for a type this code does not know (a newer writer, or a bug).
 */
export function toStoryEvent(stored: { readonly type: string; readonly data: unknown }): StoryEvent {
  if (!isStoryEventType(stored.type)) throw new UnknownEventType(stored.type);
  return { type: stored.type, data: stored.data } as StoryEvent;
}
