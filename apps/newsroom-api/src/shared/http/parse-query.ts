import { z } from 'zod/v4';
import { InvalidQuery } from './edge-errors';
import { fieldErrors } from './parse-body';

/**
 * Validates `req.query` against its schema (a strict object: an unknown parameter is an error
 * too); anything off becomes one 400 problem naming every bad parameter as `query.<name>`.
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) {
    throw new InvalidQuery(
      fieldErrors(result.error).map(({ path, message }) => ({
        path: path ? `query.${path}` : 'query',
        message: message === 'is not a known field' ? 'is not a known query parameter' : message,
      })),
    );
  }
  return result.data;
}

/** An integer parameter in [min, max]; query strings are text, so it is read from its digits. */
export function integerParam(min: number, max: number): z.ZodType<number, string> {
  const message = `must be an integer from ${min} to ${max}`;
  return z
    .string()
    .refine((raw) => /^\d{1,15}$/.test(raw) && Number(raw) >= min && Number(raw) <= max, message)
    .transform(Number);
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** `limit` of a paged list: 1 to 100, 20 when absent. */
export const limitParam = integerParam(1, MAX_PAGE_SIZE)
  .optional()
  .transform((n) => n ?? DEFAULT_PAGE_SIZE);

/** An instant with its time zone; a time without one would mean different moments to different readers. */
export const instantParam = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 date-time with a time zone, such as 2025-03-14T21:00:00Z',
});

/** The opaque `cursor` a previous page answered as `nextCursor`. */
export const cursorParam = z.string().max(2000, 'is not a cursor this endpoint gave out');
