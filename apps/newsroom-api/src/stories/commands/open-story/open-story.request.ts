import { z } from 'zod/v4';

export const openStoryRequest = z.strictObject({
  headline: z.string().trim().min(1).max(300),
  desk: z.string().trim().min(1).max(100),
  summary: z.string().trim().min(1).max(5000).optional(),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase words joined by hyphens')
    .max(120)
    .optional(),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a BCP-47 language tag such as "en" or "ar-IQ"')
    .optional(),
});

export type OpenStoryRequest = z.infer<typeof openStoryRequest>;
