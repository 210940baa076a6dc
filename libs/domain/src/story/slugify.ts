import { InvalidField } from './story.errors';

export const SLUG_MAX_LENGTH = 80;

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * A URL-safe slug from a headline: lowercase ASCII letters and digits joined by single
 * hyphens, at most 80 characters, cut at a word boundary when one is near. Accents are
 * folded ("Café" -> "cafe"); other scripts are dropped, so the result may be empty.
 */
export function slugify(text: string): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (ascii.length <= SLUG_MAX_LENGTH) return ascii;
  const cut = ascii.slice(0, SLUG_MAX_LENGTH + 1);
  const lastHyphen = cut.lastIndexOf('-');
  // Prefer ending on a whole word unless that would throw most of the slug away.
  const end = lastHyphen >= SLUG_MAX_LENGTH / 2 ? lastHyphen : SLUG_MAX_LENGTH;
  return ascii.slice(0, end).replace(/-+$/, '');
}

/** The slug a new story gets: the one given (checked), else one from the headline, else one from the id. */
export function storySlug(given: string | undefined, headline: string, storyId: string): string {
  if (given !== undefined) {
    const trimmed = given.trim();
    if (trimmed.length > SLUG_MAX_LENGTH || !SLUG.test(trimmed)) {
      throw new InvalidField('slug', `must be lowercase letters, digits and single hyphens, at most ${SLUG_MAX_LENGTH} characters`);
    }
    return trimmed;
  }
  // A headline in a non-Latin script slugifies to nothing; the id still gives a stable, unique slug.
  return slugify(headline) || `story-${slugify(storyId)}`.slice(0, SLUG_MAX_LENGTH).replace(/-+$/, '');
}
