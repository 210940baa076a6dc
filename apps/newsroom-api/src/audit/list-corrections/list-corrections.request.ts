import { z } from 'zod/v4';
import { cursorParam, limitParam } from '../../shared/http/parse-query';

export const listCorrectionsRequest = z.strictObject({
  limit: limitParam,
  cursor: cursorParam.optional(),
});

export type ListCorrectionsRequest = z.infer<typeof listCorrectionsRequest>;

/** The last row of the previous page: (issuedAt, storyId, revision). */
export const correctionsCursor = z.strictObject({ k: z.literal('corrections'), t: z.iso.datetime(), s: z.uuid(), r: z.number().int().min(1) });
