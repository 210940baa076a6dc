import { z } from 'zod/v4';

export const withdrawStoryRequest = z.strictObject({
  reason: z.string().trim().min(1).max(2000),
});

export type WithdrawStoryRequest = z.infer<typeof withdrawStoryRequest>;
