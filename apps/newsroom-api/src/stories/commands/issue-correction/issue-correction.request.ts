import { z } from 'zod/v4';

export const issueCorrectionRequest = z.strictObject({
  target: z.discriminatedUnion('type', [
    z.strictObject({ type: z.enum(['development', 'claim']), id: z.uuid() }),
    z.strictObject({ type: z.literal('headline') }),
    z.strictObject({ type: z.literal('summary') }),
  ]),
  correctedText: z.string().trim().min(1).max(10_000).optional(),
  note: z.string().trim().min(1).max(2000),
  kind: z.enum(['correction', 'clarification']).optional(),
});

export type IssueCorrectionRequest = z.infer<typeof issueCorrectionRequest>;
