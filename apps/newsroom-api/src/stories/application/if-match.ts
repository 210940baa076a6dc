import { InvalidRequest } from '../../shared/http/edge-errors';

/** The client's precondition on a story: none sent, `*` (whatever is current), or an exact revision. */
export type IfMatch = { readonly kind: 'absent' } | { readonly kind: 'any' } | { readonly kind: 'revision'; readonly revision: number };

/** Reads `If-Match: "7"` (weak `W/"7"` is accepted too: revisions are exact either way) or `*`. */
export function parseIfMatch(header: string | undefined): IfMatch {
  if (header === undefined || header.trim() === '') return { kind: 'absent' };
  const value = header.trim();
  if (value === '*') return { kind: 'any' };
  const match = /^(?:W\/)?"(\d{1,15})"$/.exec(value);
  if (!match?.[1]) {
    throw new InvalidRequest([{ path: 'header.If-Match', message: 'must be a quoted revision such as "7", or *' }]);
  }
  return { kind: 'revision', revision: Number(match[1]) };
}

export function etagOf(revision: number): string {
  return `"${revision}"`;
}
