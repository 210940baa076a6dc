import { given } from '../testing/given-when-then';
import {
  CLAIM_ID,
  claimRetracted,
  CORRECTION_ID,
  DEVELOPMENT_ID,
  developmentRetracted,
  storyOpened,
  SUMMARY,
  withReportedClaim,
} from '../testing/story.test-data';
import type { IssueCorrection } from './story.commands';
import {
  ClaimIsRetracted,
  ClaimNotFound,
  CorrectedTextRequired,
  CorrectionAlreadyIssued,
  DevelopmentIsRetracted,
  DevelopmentNotFound,
  InvalidHeadline,
  RequiredFieldMissing,
} from './story.errors';

const correction = (data: Partial<IssueCorrection['data']>): IssueCorrection => ({
  type: 'IssueCorrection',
  data: { correctionId: CORRECTION_ID, target: { type: 'development', id: DEVELOPMENT_ID }, note: 'An earlier version misstated the place.', ...data },
});

describe('a story with a development carrying a claim', () => {
  const history = withReportedClaim();

  it('correcting the development records CorrectionIssued with the new wording (the read models keep both)', () => {
    const state = given(...history)
      .when(correction({ correctedText: ' The strike hit Anbar. ' }))
      .then([
        {
          type: 'CorrectionIssued',
          data: {
            correctionId: CORRECTION_ID,
            target: { type: 'development', id: DEVELOPMENT_ID },
            correctedText: 'The strike hit Anbar.',
            note: 'An earlier version misstated the place.',
            kind: 'correction',
          },
        },
      ]);
    expect(state.developments.get(DEVELOPMENT_ID)).toEqual({ kind: 'report', retracted: false });
    expect(state.corrections.has(CORRECTION_ID)).toBe(true);
  });

  it('a clarification of the claim with a note only records the note and leaves the wording alone', () => {
    const state = given(...history)
      .when(correction({ target: { type: 'claim', id: CLAIM_ID }, kind: 'clarification', note: 'The claim is the ministry’s.' }))
      .then([
        {
          type: 'CorrectionIssued',
          data: { correctionId: CORRECTION_ID, target: { type: 'claim', id: CLAIM_ID }, note: 'The claim is the ministry’s.', kind: 'clarification' },
        },
      ]);
    expect(state.claims.get(CLAIM_ID)).toEqual({ status: 'reported', developmentId: DEVELOPMENT_ID });
  });

  it('correcting the claim with new text records the new wording and leaves the claim standing', () => {
    const state = given(...history)
      .when(correction({ target: { type: 'claim', id: CLAIM_ID }, correctedText: 'The deputy commander was killed.' }))
      .then([
        {
          type: 'CorrectionIssued',
          data: {
            correctionId: CORRECTION_ID,
            target: { type: 'claim', id: CLAIM_ID },
            correctedText: 'The deputy commander was killed.',
            note: 'An earlier version misstated the place.',
            kind: 'correction',
          },
        },
      ]);
    expect(state.claims.get(CLAIM_ID)).toEqual({ status: 'reported', developmentId: DEVELOPMENT_ID });
  });

  it('correcting the headline records CorrectionIssued and the headline becomes the corrected text', () => {
    const state = given(...history)
      .when(correction({ target: { type: 'headline' }, correctedText: 'Corrected headline' }))
      .then([
        {
          type: 'CorrectionIssued',
          data: {
            correctionId: CORRECTION_ID,
            target: { type: 'headline' },
            correctedText: 'Corrected headline',
            note: 'An earlier version misstated the place.',
            kind: 'correction',
          },
        },
      ]);
    expect(state.headline).toBe('Corrected headline');
  });

  it('correcting the headline without corrected text is rejected with CorrectedTextRequired', () => {
    given(...history)
      .when(correction({ target: { type: 'headline' } }))
      .thenThrows(CorrectedTextRequired, { code: 'CORRECTED_TEXT_REQUIRED', category: 'invalid', details: { path: 'correctedText' } });
  });

  it('correcting the headline to more than 300 characters is rejected as an invalid headline', () => {
    given(...history)
      .when(correction({ target: { type: 'headline' }, correctedText: 'y'.repeat(301) }))
      .thenThrows(InvalidHeadline, { details: { path: 'correctedText' } });
  });

  it('a correction without a public note is rejected as a missing field', () => {
    given(...history)
      .when(correction({ note: '   ', correctedText: 'New text.' }))
      .thenThrows(RequiredFieldMissing, { details: { path: 'note' } });
  });

  it('correcting an unknown development is rejected with DevelopmentNotFound', () => {
    given(...history)
      .when(correction({ target: { type: 'development', id: 'no-such-development' } }))
      .thenThrows(DevelopmentNotFound, { code: 'DEVELOPMENT_NOT_FOUND', category: 'not_found' });
  });

  it('correcting an unknown claim is rejected with ClaimNotFound', () => {
    given(...history)
      .when(correction({ target: { type: 'claim', id: 'no-such-claim' } }))
      .thenThrows(ClaimNotFound);
  });
});

describe('a story that has already issued the correction', () => {
  it('issuing another under the same id is rejected with CorrectionAlreadyIssued', () => {
    const issued = { type: 'CorrectionIssued', data: { correctionId: CORRECTION_ID, target: { type: 'summary' }, note: 'Clarified.', kind: 'clarification' } } as const;
    given(...withReportedClaim(), issued)
      .when(correction({ target: { type: 'claim', id: CLAIM_ID } }))
      .thenThrows(CorrectionAlreadyIssued, { code: 'CORRECTION_ALREADY_ISSUED', category: 'conflict' });
  });
});

describe('a story whose development and claim were retracted', () => {
  const history = [...withReportedClaim(), developmentRetracted(), claimRetracted()];

  it('correcting the development is rejected with DevelopmentIsRetracted', () => {
    given(...history).when(correction({})).thenThrows(DevelopmentIsRetracted, { code: 'DEVELOPMENT_RETRACTED', category: 'conflict' });
  });

  it('correcting the claim is rejected with ClaimIsRetracted', () => {
    given(...history)
      .when(correction({ target: { type: 'claim', id: CLAIM_ID } }))
      .thenThrows(ClaimIsRetracted);
  });
});

describe('a story without a summary', () => {
  it('correcting the summary without corrected text is rejected with CorrectedTextRequired', () => {
    given(storyOpened())
      .when(correction({ target: { type: 'summary' } }))
      .thenThrows(CorrectedTextRequired, { details: { path: 'correctedText' } });
  });

  it('correcting the summary with corrected text gives the story that summary', () => {
    const state = given(storyOpened())
      .when(correction({ target: { type: 'summary' }, correctedText: 'A corrected summary.' }))
      .then([
        {
          type: 'CorrectionIssued',
          data: {
            correctionId: CORRECTION_ID,
            target: { type: 'summary' },
            correctedText: 'A corrected summary.',
            note: 'An earlier version misstated the place.',
            kind: 'correction',
          },
        },
      ]);
    expect(state.summary).toBe('A corrected summary.');
  });
});

describe('a story with a summary', () => {
  it('a note-only correction of the summary is accepted and leaves the summary as it was', () => {
    const state = given(storyOpened({ summary: SUMMARY }))
      .when(correction({ target: { type: 'summary' } }))
      .then([
        {
          type: 'CorrectionIssued',
          data: { correctionId: CORRECTION_ID, target: { type: 'summary' }, note: 'An earlier version misstated the place.', kind: 'correction' },
        },
      ]);
    expect(state.summary).toBe(SUMMARY);
  });
});
