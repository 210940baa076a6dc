import { z } from 'zod/v4';

export const citeSourceRequest = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  publisher: z.string().trim().min(1).max(200),
  title: z.string().trim().min(1).max(500).optional(),
});

export type CiteSourceRequest = z.infer<typeof citeSourceRequest>;
