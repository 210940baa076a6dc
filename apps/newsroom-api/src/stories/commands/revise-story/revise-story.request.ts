import { z } from 'zod/v4';

export const reviseStoryRequest = z
  .strictObject({
    headline: z.string().trim().min(1).max(300).optional(),
    summary: z.string().trim().min(1).max(5000).optional(),
    reason: z.string().trim().min(1).max(1000),
  })
  .refine((r) => r.headline !== undefined || r.summary !== undefined, { message: 'give a headline or a summary to revise', path: ['headline'] });

export type ReviseStoryRequest = z.infer<typeof reviseStoryRequest>;
