import { given } from '../testing/given-when-then';
import {
  CLAIM_ID,
  claimRetracted,
  DEVELOPMENT_ID,
  logDevelopment,
  namedSource,
  OTHER_CLAIM_ID,
  OTHER_DEVELOPMENT_ID,
  SOURCE_ID,
  sourceCited,
  storyOpened,
  withReportedClaim,
} from '../testing/story.test-data';
import {
  AnonymityReasonRequired,
  ClaimAlreadyExists,
  ClaimIsRetracted,
  ClaimNotFound,
  DevelopmentAlreadyExists,
  InvalidField,
  RequiredFieldMissing,
  SourceNotFound,
} from './story.errors';
import type { Attribution } from './story.events';

const anonymousOfficial: Attribution = { role: 'security official', anonymous: true, anonymityReason: 'not authorised to speak' };

describe('a draft story with a cited source', () => {
  const history = [storyOpened(), sourceCited()];

  it('logging a report with two claims records DevelopmentLogged, then ClaimReported for each claim in order', () => {
    const state = given(...history)
      .when(
        logDevelopment({
          developmentId: DEVELOPMENT_ID,
          text: ' The commander was killed in a joint strike. ',
          occurredAt: { at: '2025-03-13T20:00:00Z', precision: 'approximate', label: 'Thursday night' },
          location: 'Anbar province',
          quote: 'It was a precise strike',
          sourceIds: [SOURCE_ID],
          claims: [
            { claimId: CLAIM_ID, text: 'The commander was killed.' },
            { claimId: OTHER_CLAIM_ID, text: 'The strike was a joint operation.' },
          ],
        }),
      )
      .then([
        {
          type: 'DevelopmentLogged',
          data: {
            developmentId: DEVELOPMENT_ID,
            kind: 'report',
            text: 'The commander was killed in a joint strike.',
            occurredAt: { at: '2025-03-13T20:00:00Z', precision: 'approximate', label: 'Thursday night' },
            location: 'Anbar province',
            attribution: namedSource,
            quote: 'It was a precise strike',
            sourceIds: [SOURCE_ID],
          },
        },
        { type: 'ClaimReported', data: { claimId: CLAIM_ID, text: 'The commander was killed.', developmentId: DEVELOPMENT_ID, attribution: namedSource } },
        { type: 'ClaimReported', data: { claimId: OTHER_CLAIM_ID, text: 'The strike was a joint operation.', developmentId: DEVELOPMENT_ID, attribution: namedSource } },
      ]);
    expect(state.claims.get(OTHER_CLAIM_ID)?.status).toBe('reported');
  });

  it('blank optional fields are left out and sourceIds defaults to none', () => {
    given(...history)
      .when(logDevelopment({ location: ' ', quote: '', attribution: { name: ' Jane ', role: '', anonymous: false } }))
      .then([
        {
          type: 'DevelopmentLogged',
          data: { developmentId: OTHER_DEVELOPMENT_ID, kind: 'report', text: 'Another development.', attribution: { name: 'Jane', anonymous: false }, sourceIds: [] },
        },
      ]);
  });

  it('an anonymous source with a reason is recorded with that reason', () => {
    given(...history)
      .when(logDevelopment({ attribution: anonymousOfficial }))
      .then([
        {
          type: 'DevelopmentLogged',
          data: { developmentId: OTHER_DEVELOPMENT_ID, kind: 'report', text: 'Another development.', attribution: anonymousOfficial, sourceIds: [] },
        },
      ]);
  });

  it('an anonymous source without a reason is rejected, naming the field', () => {
    given(...history)
      .when(logDevelopment({ attribution: { role: 'official', anonymous: true } }))
      .thenThrows(AnonymityReasonRequired, { code: 'ANONYMITY_REASON_REQUIRED', category: 'invalid', details: { path: 'attribution.anonymityReason' } });
  });

  it('an anonymous source with a blank reason is rejected too', () => {
    given(...history)
      .when(logDevelopment({ attribution: { anonymous: true, anonymityReason: '  ' } }))
      .thenThrows(AnonymityReasonRequired);
  });

  it('blank text is rejected as a missing field', () => {
    given(...history)
      .when(logDevelopment({ text: ' \n ' }))
      .thenThrows(RequiredFieldMissing, { details: { path: 'text' } });
  });

  it('a source that was never cited is rejected with SourceNotFound', () => {
    given(...history)
      .when(logDevelopment({ sourceIds: [SOURCE_ID, 'never-cited'] }))
      .thenThrows(SourceNotFound, { code: 'SOURCE_NOT_FOUND', category: 'not_found', details: { sourceId: 'never-cited' } });
  });

  it('an occurredAt that is not ISO-8601 is rejected', () => {
    given(...history)
      .when(logDevelopment({ occurredAt: { at: 'Thursday night', precision: 'approximate' } }))
      .thenThrows(InvalidField, { details: { path: 'occurredAt.at' } });
  });

  it('a claim with blank text is rejected, naming the claim', () => {
    given(...history)
      .when(logDevelopment({ claims: [{ claimId: CLAIM_ID, text: 'ok' }, { claimId: OTHER_CLAIM_ID, text: ' ' }] }))
      .thenThrows(RequiredFieldMissing, { details: { path: 'claims[1].text' } });
  });

  it('the same claim id twice in one development is rejected with ClaimAlreadyExists', () => {
    given(...history)
      .when(logDevelopment({ claims: [{ claimId: CLAIM_ID, text: 'one' }, { claimId: CLAIM_ID, text: 'two' }] }))
      .thenThrows(ClaimAlreadyExists, { category: 'conflict' });
  });
});

describe('a draft story with a reported claim', () => {
  const history = withReportedClaim();
  const confirmingSource: Attribution = { name: 'Prime Minister', platform: 'X', anonymous: false };

  it('a confirmation that confirms it records DevelopmentLogged, then ClaimConfirmed tied to the development', () => {
    const state = given(...history)
      .when(logDevelopment({ kind: 'confirmation', text: 'The prime minister confirmed it.', attribution: confirmingSource, confirms: [CLAIM_ID] }))
      .then([
        {
          type: 'DevelopmentLogged',
          data: { developmentId: OTHER_DEVELOPMENT_ID, kind: 'confirmation', text: 'The prime minister confirmed it.', attribution: confirmingSource, sourceIds: [] },
        },
        { type: 'ClaimConfirmed', data: { claimId: CLAIM_ID, developmentId: OTHER_DEVELOPMENT_ID, attribution: confirmingSource } },
      ]);
    expect(state.claims.get(CLAIM_ID)?.status).toBe('confirmed');
  });

  it('a development that disputes it records ClaimDisputed and the claim becomes disputed', () => {
    const state = given(...history)
      .when(logDevelopment({ disputes: [CLAIM_ID] }))
      .then([
        {
          type: 'DevelopmentLogged',
          data: { developmentId: OTHER_DEVELOPMENT_ID, kind: 'report', text: 'Another development.', attribution: namedSource, sourceIds: [] },
        },
        { type: 'ClaimDisputed', data: { claimId: CLAIM_ID, developmentId: OTHER_DEVELOPMENT_ID, attribution: namedSource } },
      ]);
    expect(state.claims.get(CLAIM_ID)?.status).toBe('disputed');
  });

  it('a development with a new claim and a dispute records them in the order reported, confirmed, disputed', () => {
    const state = given(...history)
      .when(logDevelopment({ claims: [{ claimId: OTHER_CLAIM_ID, text: 'A new claim.' }], disputes: [CLAIM_ID] }))
      .then([
        {
          type: 'DevelopmentLogged',
          data: { developmentId: OTHER_DEVELOPMENT_ID, kind: 'report', text: 'Another development.', attribution: namedSource, sourceIds: [] },
        },
        { type: 'ClaimReported', data: { claimId: OTHER_CLAIM_ID, text: 'A new claim.', developmentId: OTHER_DEVELOPMENT_ID, attribution: namedSource } },
        { type: 'ClaimDisputed', data: { claimId: CLAIM_ID, developmentId: OTHER_DEVELOPMENT_ID, attribution: namedSource } },
      ]);
    expect(state.claims.size).toBe(2);
  });

  it('reusing the development id is rejected with DevelopmentAlreadyExists', () => {
    given(...history)
      .when(logDevelopment({ developmentId: DEVELOPMENT_ID }))
      .thenThrows(DevelopmentAlreadyExists, { code: 'DEVELOPMENT_ALREADY_EXISTS', category: 'conflict' });
  });

  it('reporting a claim under an existing claim id is rejected with ClaimAlreadyExists', () => {
    given(...history)
      .when(logDevelopment({ claims: [{ claimId: CLAIM_ID, text: 'Same id, new text.' }] }))
      .thenThrows(ClaimAlreadyExists, { code: 'CLAIM_ALREADY_EXISTS' });
  });

  it('confirming an unknown claim is rejected with ClaimNotFound', () => {
    given(...history)
      .when(logDevelopment({ confirms: ['no-such-claim'] }))
      .thenThrows(ClaimNotFound, { category: 'not_found', details: { claimId: 'no-such-claim' } });
  });

  it('disputing an unknown claim is rejected with ClaimNotFound', () => {
    given(...history)
      .when(logDevelopment({ disputes: ['no-such-claim'] }))
      .thenThrows(ClaimNotFound);
  });

  it('confirming and disputing it in the same development is rejected as invalid', () => {
    given(...history)
      .when(logDevelopment({ confirms: [CLAIM_ID], disputes: [CLAIM_ID] }))
      .thenThrows(InvalidField, { details: { path: 'disputes[0]' } });
  });
});

describe('a story whose claim was retracted', () => {
  const history = [...withReportedClaim(), claimRetracted()];

  it('confirming it is rejected with ClaimIsRetracted', () => {
    given(...history)
      .when(logDevelopment({ confirms: [CLAIM_ID] }))
      .thenThrows(ClaimIsRetracted, { code: 'CLAIM_RETRACTED', category: 'conflict' });
  });

  it('disputing it is rejected with ClaimIsRetracted', () => {
    given(...history)
      .when(logDevelopment({ disputes: [CLAIM_ID] }))
      .thenThrows(ClaimIsRetracted);
  });
});
