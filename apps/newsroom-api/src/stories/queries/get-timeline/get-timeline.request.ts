import { z } from 'zod/v4';
import { minRevisionParam } from '../story-read.edge';

export const getTimelineRequest = z.strictObject({
  /** `occurred` (default): when things happened, as far as known. `recorded`: when they were logged. */
  order: z.enum(['occurred', 'recorded']).default('occurred'),
  minRevision: minRevisionParam,
});

export type GetTimelineRequest = z.infer<typeof getTimelineRequest>;
