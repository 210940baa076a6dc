import { given } from '../testing/given-when-then';
import { CLAIM_ID, claimRetracted, DEVELOPMENT_ID, developmentRetracted, OTHER_DEVELOPMENT_ID, withReportedClaim } from '../testing/story.test-data';
import { ClaimIsRetracted, ClaimNotFound, DevelopmentIsRetracted, DevelopmentNotFound, RequiredFieldMissing } from './story.errors';

describe('a story with a development carrying a claim', () => {
  const history = withReportedClaim();

  it('retracting the development records DevelopmentRetracted and marks it retracted', () => {
    const state = given(...history)
      .when({ type: 'RetractDevelopment', data: { developmentId: DEVELOPMENT_ID, reason: ' Could not be verified. ' } })
      .then([{ type: 'DevelopmentRetracted', data: { developmentId: DEVELOPMENT_ID, reason: 'Could not be verified.' } }]);
    expect(state.developments.get(DEVELOPMENT_ID)?.retracted).toBe(true);
  });

  it('retracting an unknown development is rejected with DevelopmentNotFound', () => {
    given(...history)
      .when({ type: 'RetractDevelopment', data: { developmentId: OTHER_DEVELOPMENT_ID, reason: 'Wrong.' } })
      .thenThrows(DevelopmentNotFound, { details: { developmentId: OTHER_DEVELOPMENT_ID } });
  });

  it('retracting the development without a reason is rejected as a missing field', () => {
    given(...history)
      .when({ type: 'RetractDevelopment', data: { developmentId: DEVELOPMENT_ID, reason: '' } })
      .thenThrows(RequiredFieldMissing, { details: { path: 'reason' } });
  });

  it('retracting the claim records ClaimRetracted and marks it retracted', () => {
    const state = given(...history)
      .when({ type: 'RetractClaim', data: { claimId: CLAIM_ID, reason: 'The ministry withdrew it.' } })
      .then([{ type: 'ClaimRetracted', data: { claimId: CLAIM_ID, reason: 'The ministry withdrew it.' } }]);
    expect(state.claims.get(CLAIM_ID)?.status).toBe('retracted');
  });

  it('retracting the claim because of a development records which development', () => {
    given(...history)
      .when({ type: 'RetractClaim', data: { claimId: CLAIM_ID, reason: 'Contradicted.', developmentId: DEVELOPMENT_ID } })
      .then([{ type: 'ClaimRetracted', data: { claimId: CLAIM_ID, reason: 'Contradicted.', developmentId: DEVELOPMENT_ID } }]);
  });

  it('retracting the claim because of an unknown development is rejected with DevelopmentNotFound', () => {
    given(...history)
      .when({ type: 'RetractClaim', data: { claimId: CLAIM_ID, reason: 'Contradicted.', developmentId: OTHER_DEVELOPMENT_ID } })
      .thenThrows(DevelopmentNotFound);
  });

  it('retracting an unknown claim is rejected with ClaimNotFound', () => {
    given(...history)
      .when({ type: 'RetractClaim', data: { claimId: 'no-such-claim', reason: 'Wrong.' } })
      .thenThrows(ClaimNotFound, { code: 'CLAIM_NOT_FOUND' });
  });

  it('retracting the claim without a reason is rejected as a missing field', () => {
    given(...history)
      .when({ type: 'RetractClaim', data: { claimId: CLAIM_ID, reason: ' ' } })
      .thenThrows(RequiredFieldMissing, { details: { path: 'reason' } });
  });
});

describe('a story whose development and claim were already retracted', () => {
  const history = [...withReportedClaim(), developmentRetracted(), claimRetracted()];

  it('retracting the development again is rejected with DevelopmentIsRetracted', () => {
    given(...history)
      .when({ type: 'RetractDevelopment', data: { developmentId: DEVELOPMENT_ID, reason: 'Again.' } })
      .thenThrows(DevelopmentIsRetracted, { category: 'conflict' });
  });

  it('retracting the claim again is rejected with ClaimIsRetracted', () => {
    given(...history)
      .when({ type: 'RetractClaim', data: { claimId: CLAIM_ID, reason: 'Again.' } })
      .thenThrows(ClaimIsRetracted, { code: 'CLAIM_RETRACTED' });
  });
});
