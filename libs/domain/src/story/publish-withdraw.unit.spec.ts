import { given } from '../testing/given-when-then';
import { everyCommandButOpenStory, logDevelopment, OTHER_DEVELOPMENT_ID, namedSource, storyOpened, storyPublished, storyWithdrawn } from '../testing/story.test-data';
import { RequiredFieldMissing, StoryAlreadyExists, StoryAlreadyPublished, StoryIsWithdrawn } from './story.errors';

describe('a draft story', () => {
  it('publishing it records StoryPublished and makes it published', () => {
    const state = given(storyOpened()).when({ type: 'PublishStory', data: {} }).then([{ type: 'StoryPublished', data: {} }]);
    expect(state.status).toBe('published');
  });

  it('withdrawing it records StoryWithdrawn with the trimmed reason', () => {
    const state = given(storyOpened())
      .when({ type: 'WithdrawStory', data: { reason: '  Legal review.  ' } })
      .then([{ type: 'StoryWithdrawn', data: { reason: 'Legal review.' } }]);
    expect(state.status).toBe('withdrawn');
  });

  it('withdrawing it without a reason is rejected as a missing field', () => {
    given(storyOpened())
      .when({ type: 'WithdrawStory', data: { reason: ' ' } })
      .thenThrows(RequiredFieldMissing, { details: { path: 'reason' } });
  });
});

describe('a published story', () => {
  it('publishing it again is rejected with StoryAlreadyPublished', () => {
    given(storyOpened(), storyPublished())
      .when({ type: 'PublishStory', data: {} })
      .thenThrows(StoryAlreadyPublished, { code: 'STORY_ALREADY_PUBLISHED', category: 'conflict' });
  });

  it('logging a development keeps it live: DevelopmentLogged is recorded and it stays published', () => {
    const state = given(storyOpened(), storyPublished())
      .when(logDevelopment())
      .then([
        {
          type: 'DevelopmentLogged',
          data: { developmentId: OTHER_DEVELOPMENT_ID, kind: 'report', text: 'Another development.', attribution: namedSource, sourceIds: [] },
        },
      ]);
    expect(state.status).toBe('published');
  });

  it('withdrawing it records StoryWithdrawn', () => {
    given(storyOpened(), storyPublished())
      .when({ type: 'WithdrawStory', data: { reason: 'Source fabricated.' } })
      .then([{ type: 'StoryWithdrawn', data: { reason: 'Source fabricated.' } }]);
  });
});

describe('a withdrawn story', () => {
  it.each(everyCommandButOpenStory().map((command) => [command.type, command] as const))('%s is rejected with StoryIsWithdrawn', (_type, command) => {
    given(storyOpened(), storyPublished(), storyWithdrawn()).when(command).thenThrows(StoryIsWithdrawn, { code: 'STORY_WITHDRAWN' });
  });

  it('opening it again is rejected with StoryAlreadyExists, not reopened', () => {
    given(storyOpened(), storyWithdrawn())
      .when({ type: 'OpenStory', data: { storyId: storyOpened().data.storyId, headline: 'Again', desk: 'world' } })
      .thenThrows(StoryAlreadyExists);
  });
});
