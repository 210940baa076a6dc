import { z } from 'zod/v4';
import { cursorParam, limitParam } from '../../../shared/http/parse-query';
import { minRevisionParam } from '../story-read.edge';

export const listRevisionsRequest = z.strictObject({
  limit: limitParam,
  cursor: cursorParam.optional(),
  minRevision: minRevisionParam,
});

export type ListRevisionsRequest = z.infer<typeof listRevisionsRequest>;

/** The last revision of the previous page. */
export const revisionsCursor = z.strictObject({ k: z.literal('revisions'), r: z.number().int().min(1) });
