import { z } from 'zod/v4';
import { instantParam } from '../../../shared/http/parse-query';
import { minRevisionParam } from '../story-read.edge';

export const getStoryRequest = z.strictObject({
  /** The story as it stood at this instant: its last revision recorded at or before it. */
  asOf: instantParam.optional(),
  minRevision: minRevisionParam,
});

export type GetStoryRequest = z.infer<typeof getStoryRequest>;
