import { keyDerivedUuid } from './key-derived-id';

describe('keyDerivedUuid', () => {
  it('is stable for one editor and key', () => {
    expect(keyDerivedUuid('ed-1', 'k-1')).toBe(keyDerivedUuid('ed-1', 'k-1'));
  });

  it('differs across editors and keys', () => {
    const ids = new Set([keyDerivedUuid('ed-1', 'k-1'), keyDerivedUuid('ed-2', 'k-1'), keyDerivedUuid('ed-1', 'k-2'), keyDerivedUuid('ed-1k', '-1')]);
    expect(ids.size).toBe(4);
  });

  it('is a version 5, RFC variant UUID', () => {
    expect(keyDerivedUuid('ed-1', 'k-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
