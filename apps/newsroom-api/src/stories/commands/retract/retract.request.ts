import { z } from 'zod/v4';

export const retractRequest = z.strictObject({
  target: z.strictObject({ type: z.enum(['development', 'claim']), id: z.uuid() }),
  reason: z.string().trim().min(1).max(2000),
});

export type RetractRequest = z.infer<typeof retractRequest>;
