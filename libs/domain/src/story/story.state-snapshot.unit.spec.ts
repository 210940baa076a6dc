import { foldOpened } from '../testing/given-when-then';
import {
  CLAIM_ID,
  claimConfirmed,
  claimReported,
  developmentLogged,
  developmentRetracted,
  everyCommandButOpenStory,
  OTHER_DEVELOPMENT_ID,
  sourceCited,
  storyOpened,
  storyPublished,
  withReportedClaim,
} from '../testing/story.test-data';
import { decide } from './story.decide';
import { storyStateFromJson, storyStateJsonPieces, storyStateToJson } from './story.state-snapshot';
import { type CorrectionIssued } from './story.events';
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

describe('a story state snapshot written in pieces', () => {
  /** A story with every collection filled: 7 developments (one retracted), 5 claims, 3 sources, 2 corrections. */
  const story = foldOpened(
    storyOpened({ summary: 'A summary with "quotes" and a \\ backslash' }),
    ...Array.from({ length: 7 }, (_, i) => developmentLogged({ developmentId: `d${i}`, kind: i % 2 === 0 ? 'report' : 'statement' })),
    developmentRetracted({ developmentId: 'd3' }),
    ...Array.from({ length: 5 }, (_, i) => claimReported({ claimId: `c${i}`, developmentId: `d${i}` })),
    ...Array.from({ length: 3 }, (_, i) => sourceCited({ sourceId: `s${i}` })),
    ...Array.from({ length: 2 }, (_, i): CorrectionIssued => ({
      type: 'CorrectionIssued',
      data: { correctionId: `k${i}`, target: { type: 'development', id: 'd0' }, kind: 'clarification', note: 'Clarified.' },
    })),
  );

  it.each([1, 2, 3, 5, 7, 8, 1000])('joins to exactly the one-piece JSON, %i entries per piece', (perPiece) => {
    const pieces = [...storyStateJsonPieces(story, perPiece)];
    expect(pieces.join('')).toBe(JSON.stringify(storyStateToJson(story)));
    // Seventeen entries in all: the collections end inside pieces, so the last piece carries the rest.
    expect(pieces).toHaveLength(Math.floor(7 / perPiece) + Math.floor(5 / perPiece) + Math.floor(3 / perPiece) + Math.floor(2 / perPiece) + 1);
  });

  it('reads back as the state, with empty collections and without a summary too', () => {
    const bare = foldOpened({ type: 'StoryOpened', data: { storyId: 's', slug: 's', headline: 'H', desk: 'world', language: 'en' } });
    for (const state of [story, bare]) {
      const text = [...storyStateJsonPieces(state, 2)].join('');
      expect(text).toBe(JSON.stringify(storyStateToJson(state)));
      expect(plain(storyStateFromJson(JSON.parse(text)) as OpenedStory)).toEqual(plain(state));
    }
  });

  it('refuses a piece size that is not a positive integer', () => {
    expect(() => [...storyStateJsonPieces(story, 0)]).toThrow(RangeError);
    expect(() => [...storyStateJsonPieces(story, 1.5)]).toThrow(RangeError);
  });
});
