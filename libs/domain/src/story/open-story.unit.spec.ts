import { given } from '../testing/given-when-then';
import { everyCommandButOpenStory, HEADLINE, STORY_ID, storyOpened } from '../testing/story.test-data';
import type { OpenStory } from './story.commands';
import { InvalidField, InvalidHeadline, RequiredFieldMissing, StoryAlreadyExists, StoryNotFound } from './story.errors';

const openStory = (data: Partial<OpenStory['data']> = {}): OpenStory => ({
  type: 'OpenStory',
  data: { storyId: STORY_ID, headline: HEADLINE, desk: 'world', ...data },
});

describe('a story that was never opened', () => {
  it('opening it records StoryOpened with a slug from the headline and English as the language', () => {
    given()
      .when(openStory())
      .then([
        {
          type: 'StoryOpened',
          data: { storyId: STORY_ID, slug: 'regional-isis-commander-killed-in-airstrike', headline: HEADLINE, desk: 'world', language: 'en' },
        },
      ]);
  });

  it('opening it keeps the given slug, summary and language, trimmed', () => {
    given()
      .when(openStory({ slug: 'isis-strike', headline: `  ${HEADLINE}  `, desk: ' world ', summary: ' A summary. ', language: 'ar' }))
      .then([
        {
          type: 'StoryOpened',
          data: { storyId: STORY_ID, slug: 'isis-strike', headline: HEADLINE, desk: 'world', summary: 'A summary.', language: 'ar' },
        },
      ]);
  });

  it('opening it with a headline in a non-Latin script derives the slug from the story id', () => {
    given()
      .when(openStory({ headline: 'مقتل زعيم داعش' }))
      .then([{ type: 'StoryOpened', data: { storyId: STORY_ID, slug: `story-${STORY_ID}`, headline: 'مقتل زعيم داعش', desk: 'world', language: 'en' } }]);
  });

  it.each(everyCommandButOpenStory().map((command) => [command.type, command] as const))('%s is rejected with StoryNotFound', (_type, command) => {
    given().when(command).thenThrows(StoryNotFound, { code: 'STORY_NOT_FOUND', category: 'not_found' });
  });
});

describe('an opened story', () => {
  it('opening it again is rejected with StoryAlreadyExists', () => {
    given(storyOpened()).when(openStory()).thenThrows(StoryAlreadyExists, { code: 'STORY_ALREADY_EXISTS' });
  });
});

describe('opening a story with bad input', () => {
  it('a blank headline is rejected as an invalid headline', () => {
    given().when(openStory({ headline: '   ' })).thenThrows(InvalidHeadline, { details: { path: 'headline', minLength: 1, maxLength: 300 } });
  });

  it('a headline of 301 characters is rejected, one of 300 is accepted', () => {
    given().when(openStory({ headline: 'h'.repeat(301) })).thenThrows(InvalidHeadline);
    const state = given().when(openStory({ headline: 'h'.repeat(300) })).then([
      { type: 'StoryOpened', data: { storyId: STORY_ID, slug: 'h'.repeat(80), headline: 'h'.repeat(300), desk: 'world', language: 'en' } },
    ]);
    expect(state.status).toBe('draft');
  });

  it('a blank desk is rejected as a missing field', () => {
    given().when(openStory({ desk: ' ' })).thenThrows(RequiredFieldMissing, { code: 'FIELD_REQUIRED', details: { path: 'desk' } });
  });

  it('a slug with spaces or capitals is rejected', () => {
    given().when(openStory({ slug: 'Not A Slug' })).thenThrows(InvalidField, { details: { path: 'slug' } });
  });

  it('a language that is not a BCP-47 tag is rejected', () => {
    given().when(openStory({ language: 'English' })).thenThrows(InvalidField, { details: { path: 'language' } });
  });
});
