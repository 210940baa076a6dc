import { slugify, SLUG_MAX_LENGTH } from './slugify';

describe('slugify', () => {
  it('lowercases and joins words with single hyphens, dropping punctuation and quotes', () => {
    expect(slugify('ISIS leader “Abu Khadija” killed — Iraq says!')).toBe('isis-leader-abu-khadija-killed-iraq-says');
  });

  it('folds accents to plain ASCII letters', () => {
    expect(slugify('Café in São Paulo')).toBe('cafe-in-sao-paulo');
  });

  it('cuts long text at a word boundary within the maximum length', () => {
    const slug = slugify('word '.repeat(40));
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
    expect(slug.endsWith('word')).toBe(true);
    expect(slug.startsWith('-')).toBe(false);
  });

  it('gives nothing for a headline with no Latin letters or digits', () => {
    expect(slugify('مقتل زعيم داعش')).toBe('');
  });
});
