import { assertValidExpectedRevision, NO_STREAM_REVISION, satisfiesExpectedRevision } from './expected-revision';

describe('satisfiesExpectedRevision', () => {
  it.each([
    ['any', NO_STREAM_REVISION, true],
    ['any', 4n, true],
    ['no_stream', NO_STREAM_REVISION, true],
    ['no_stream', 0n, false],
    ['stream_exists', NO_STREAM_REVISION, false],
    ['stream_exists', 0n, true],
    [3n, 3n, true],
    [3n, 4n, false],
    [0n, NO_STREAM_REVISION, false],
  ] as const)('expected %p with actual %p -> %p', (expected, actual, satisfied) => {
    expect(satisfiesExpectedRevision(expected, actual)).toBe(satisfied);
  });
});

describe('assertValidExpectedRevision', () => {
  it('rejects a negative exact revision, which would otherwise mean no_stream', () => {
    expect(() => assertValidExpectedRevision(-1n)).toThrow(RangeError);
  });

  it('accepts the named forms and revision 0', () => {
    for (const expected of ['any', 'no_stream', 'stream_exists', 0n] as const) {
      expect(() => assertValidExpectedRevision(expected)).not.toThrow();
    }
  });
});
