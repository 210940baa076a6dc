import { foldOpened } from '../testing/given-when-then';
import {
  CLAIM_ID,
  claimConfirmed,
  developmentLogged,
  developmentRetracted,
  everyCommandButOpenStory,
  OTHER_DEVELOPMENT_ID,
  storyPublished,
  withReportedClaim,
} from '../testing/story.test-data';
import { decide } from './story.decide';
import { storyStateFromJson, storyStateToJson } from './story.state-snapshot';
import { type OpenedStory } from './story.state';

const plain = (state: OpenedStory): unknown => ({
  ...state,
  developments: [...state.developments],
  claims: [...state.claims],
  sources: [...state.sources],
  corrections: [...state.corrections],
});

/** Through JSON text and back, as a stored snapshot goes. */
const roundTrip = (state: OpenedStory): OpenedStory | undefined => storyStateFromJson(JSON.parse(JSON.stringify(storyStateToJson(state))));

describe('a story state snapshot', () => {
  const state = foldOpened(
    ...withReportedClaim(),
    developmentLogged({ developmentId: OTHER_DEVELOPMENT_ID, kind: 'visit' }),
    developmentRetracted({ developmentId: OTHER_DEVELOPMENT_ID }),
    claimConfirmed(),
    storyPublished(),
  );

  it('reads back as the state it was written from', () => {
    const back = roundTrip(state);
    expect(back && plain(back)).toEqual(plain(state));
    expect(back?.claims.get(CLAIM_ID)?.status).toBe('confirmed');
    expect(back?.developments.get(OTHER_DEVELOPMENT_ID)).toEqual({ kind: 'visit', retracted: true });
  });

  it('decides every command as the folded state does', () => {
    const back = roundTrip(state) as OpenedStory;
    for (const command of everyCommandButOpenStory()) {
      const outcome = (on: OpenedStory): unknown => {
        try {
          return decide(command, on);
        } catch (error) {
          return (error as Error).name;
        }
      };
      expect(outcome(back)).toEqual(outcome(state));
    }
  });

  it('keeps a summary-less story without a summary', () => {
    const noSummary = foldOpened({ type: 'StoryOpened', data: { storyId: 's', slug: 's', headline: 'H', desk: 'world', language: 'en' } });
    expect(roundTrip(noSummary)).not.toHaveProperty('summary');
  });

  it.each([
    ['not an object', 'state'],
    ['an unknown status', { ...storyStateToJson(state), status: 'absent' }],
    ['a missing headline', { ...storyStateToJson(state), headline: undefined }],
    ['a development of an unknown kind', { ...storyStateToJson(state), developments: [['d', 'rumour', false]] }],
    ['a claim with a bad status', { ...storyStateToJson(state), claims: [['c', 'maybe', 'd']] }],
    ['a short entry', { ...storyStateToJson(state), claims: [['c', 'reported']] }],
    ['sources that are not ids', { ...storyStateToJson(state), sources: [1] }],
  ])('refuses %s', (_label, json) => {
    expect(storyStateFromJson(json)).toBeUndefined();
  });
});
