import { z } from 'zod/v4';
import { cursorParam, limitParam } from '../../../shared/http/parse-query';

export const listStoriesRequest = z.strictObject({
  desk: z.string().trim().min(1).max(100).optional(),
  status: z.enum(['draft', 'published', 'withdrawn']).optional(),
  /** Web-search syntax: words, "a phrase", or, -not. */
  q: z.string().trim().min(1).max(500).optional(),
  limit: limitParam,
  cursor: cursorParam.optional(),
});

export type ListStoriesRequest = z.infer<typeof listStoriesRequest>;

/** Where the previous page stopped: its last story's (updatedAt, id). */
export const storiesCursor = z.strictObject({ k: z.literal('stories'), u: z.iso.datetime(), i: z.uuid() });
