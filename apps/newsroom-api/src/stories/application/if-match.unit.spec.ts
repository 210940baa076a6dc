import { InvalidRequest } from '../../shared/http/edge-errors';
import { etagOf, parseIfMatch } from './if-match';

describe('If-Match', () => {
  it('reads a quoted revision', () => {
    expect(parseIfMatch('"7"')).toEqual({ kind: 'revision', revision: 7 });
    expect(parseIfMatch('W/"12"')).toEqual({ kind: 'revision', revision: 12 });
  });

  it('reads * as whatever is current', () => {
    expect(parseIfMatch('*')).toEqual({ kind: 'any' });
  });

  it('treats a missing header as absent', () => {
    expect(parseIfMatch(undefined)).toEqual({ kind: 'absent' });
  });

  it.each(['7', '"seven"', '"7", "8"', '"-1"'])('refuses %s', (value) => {
    expect(() => parseIfMatch(value)).toThrow(InvalidRequest);
  });

  it('writes the ETag that If-Match reads back', () => {
    expect(parseIfMatch(etagOf(42))).toEqual({ kind: 'revision', revision: 42 });
  });
});
