import { UnknownEventType } from '../story/story.errors';
import { storyEventTypes } from '../story/story.events';
import { toStoryEvent } from './stored-event';

describe('a stored event read back for folding', () => {
  it('of a known type becomes that StoryEvent, data untouched', () => {
    const data = { sourceId: 's', url: 'https://example.org', publisher: 'P' };
    expect(toStoryEvent({ type: 'SourceCited', data })).toEqual({ type: 'SourceCited', data });
  });

  it('of every type in the catalogue is accepted', () => {
    expect(storyEventTypes).toHaveLength(13);
    for (const type of storyEventTypes) expect(toStoryEvent({ type, data: {} }).type).toBe(type);
  });

  it('of an unknown type is refused with UnknownEventType, which is not an editor error', () => {
    expect(() => toStoryEvent({ type: 'StoryDeleted', data: {} })).toThrow(UnknownEventType);
    expect(() => toStoryEvent({ type: 'toString', data: {} })).toThrow(UnknownEventType);
  });
});
