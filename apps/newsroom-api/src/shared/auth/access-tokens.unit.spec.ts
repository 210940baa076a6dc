import { AccessTokens, may, TokenConfigError } from './access-tokens';

describe('AccessTokens', () => {
  const tokens = AccessTokens.parse('editor-token-0123456789:ed-1:editor, chief-token-0123456789:ch-1:chief,audit-token-0123456789:au-1:auditor');

  it('maps each token to its editor id and role', () => {
    expect(tokens.authenticate('editor-token-0123456789')).toEqual({ editorId: 'ed-1', role: 'editor' });
    expect(tokens.authenticate('chief-token-0123456789')).toEqual({ editorId: 'ch-1', role: 'chief' });
    expect(tokens.authenticate('audit-token-0123456789')).toEqual({ editorId: 'au-1', role: 'auditor' });
  });

  it('knows no other token', () => {
    expect(tokens.authenticate('editor-token-012345678')).toBeUndefined();
    expect(tokens.authenticate('')).toBeUndefined();
  });

  it.each([
    [undefined, /not set/],
    ['abc', /token:editorId:role/],
    ['long-enough-token-123:ed:admin', /unknown role "admin"/],
    ['short:ed:editor', /at least 16/],
  ])('refuses the configuration %p', (spec, message) => {
    expect(() => AccessTokens.parse(spec)).toThrow(TokenConfigError);
    expect(() => AccessTokens.parse(spec)).toThrow(message);
  });
});

describe('role permissions', () => {
  it('lets editors write but not publish, correct or audit', () => {
    expect([may('editor', 'story:write'), may('editor', 'story:publish'), may('editor', 'story:correct'), may('editor', 'audit:read')]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it('lets chiefs do everything', () => {
    expect((['story:read', 'story:write', 'story:publish', 'story:correct', 'audit:read'] as const).every((p) => may('chief', p))).toBe(true);
  });

  it('keeps auditors read-only', () => {
    expect([may('auditor', 'story:read'), may('auditor', 'audit:read'), may('auditor', 'story:write')]).toEqual([true, true, false]);
  });
});
