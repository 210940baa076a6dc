import { given } from '../testing/given-when-then';
import { HEADLINE, SUMMARY, storyOpened } from '../testing/story.test-data';
import { InvalidHeadline, NothingToRevise, RequiredFieldMissing } from './story.errors';

describe('a draft story with a summary', () => {
  const history = [storyOpened({ summary: SUMMARY })];

  it('a new headline records HeadlineRevised with the previous headline and the reason', () => {
    const state = given(...history)
      .when({ type: 'ReviseStory', data: { headline: ' ISIS leader confirmed dead ', reason: 'Confirmed by the PM.' } })
      .then([{ type: 'HeadlineRevised', data: { headline: 'ISIS leader confirmed dead', previousHeadline: HEADLINE, reason: 'Confirmed by the PM.' } }]);
    expect(state.headline).toBe('ISIS leader confirmed dead');
  });

  it('a new summary records SummaryRevised with the previous summary', () => {
    const state = given(...history)
      .when({ type: 'ReviseStory', data: { summary: 'A new summary.', reason: 'More detail.' } })
      .then([{ type: 'SummaryRevised', data: { summary: 'A new summary.', previousSummary: SUMMARY, reason: 'More detail.' } }]);
    expect(state.summary).toBe('A new summary.');
  });

  it('a new headline and summary record HeadlineRevised then SummaryRevised', () => {
    given(...history)
      .when({ type: 'ReviseStory', data: { headline: 'New headline', summary: 'New summary.', reason: 'Update.' } })
      .then([
        { type: 'HeadlineRevised', data: { headline: 'New headline', previousHeadline: HEADLINE, reason: 'Update.' } },
        { type: 'SummaryRevised', data: { summary: 'New summary.', previousSummary: SUMMARY, reason: 'Update.' } },
      ]);
  });

  it('an unchanged summary next to a new headline records only HeadlineRevised', () => {
    given(...history)
      .when({ type: 'ReviseStory', data: { headline: 'New headline', summary: SUMMARY, reason: 'Update.' } })
      .then([{ type: 'HeadlineRevised', data: { headline: 'New headline', previousHeadline: HEADLINE, reason: 'Update.' } }]);
  });

  it('the same headline, differing only in spaces, is rejected with NothingToRevise', () => {
    given(...history)
      .when({ type: 'ReviseStory', data: { headline: ` ${HEADLINE} `, reason: 'Tidy.' } })
      .thenThrows(NothingToRevise, { code: 'NOTHING_TO_REVISE', category: 'invalid' });
  });

  it('a revision giving neither headline nor summary is rejected with NothingToRevise', () => {
    given(...history).when({ type: 'ReviseStory', data: { reason: 'No reason.' } }).thenThrows(NothingToRevise);
  });

  it('a revision without a reason is rejected as a missing field', () => {
    given(...history)
      .when({ type: 'ReviseStory', data: { headline: 'New headline', reason: '  ' } })
      .thenThrows(RequiredFieldMissing, { details: { path: 'reason' } });
  });

  it('a headline longer than 300 characters is rejected', () => {
    given(...history)
      .when({ type: 'ReviseStory', data: { headline: 'x'.repeat(301), reason: 'Longer.' } })
      .thenThrows(InvalidHeadline, { details: { path: 'headline' } });
  });

  it('a blank headline is rejected', () => {
    given(...history)
      .when({ type: 'ReviseStory', data: { headline: ' ', reason: 'Blank.' } })
      .thenThrows(InvalidHeadline);
  });
});

describe('a draft story without a summary', () => {
  it('adding a summary records SummaryRevised with no previous summary', () => {
    given(storyOpened())
      .when({ type: 'ReviseStory', data: { summary: 'First summary.', reason: 'Add context.' } })
      .then([{ type: 'SummaryRevised', data: { summary: 'First summary.', reason: 'Add context.' } }]);
  });
});
