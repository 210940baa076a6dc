import { z } from 'zod/v4';

const id = z.uuid();

export const attributionRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    role: z.string().trim().min(1).max(200).optional(),
    affiliation: z.string().trim().min(1).max(200).optional(),
    platform: z.string().trim().min(1).max(100).optional(),
    anonymous: z.boolean().optional(),
    anonymityReason: z.string().trim().min(1).max(500).optional(),
  })
  .refine((a) => !a.anonymous || a.anonymityReason !== undefined, {
    message: 'is required when anonymous is true',
    path: ['anonymityReason'],
  });

export const logDevelopmentRequest = z.strictObject({
  kind: z.enum(['report', 'confirmation', 'statement', 'visit', 'background', 'update']),
  text: z.string().trim().min(1).max(10_000),
  occurredAt: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  occurredAtPrecision: z.enum(['exact', 'hour', 'day', 'approximate']).optional(),
  occurredAtLabel: z.string().trim().min(1).max(100).optional(),
  location: z.string().trim().min(1).max(300).optional(),
  attribution: attributionRequest,
  quote: z.string().trim().min(1).max(5000).optional(),
  claims: z.array(z.strictObject({ text: z.string().trim().min(1).max(2000) })).max(50).optional(),
  confirms: z.array(id).max(50).optional(),
  disputes: z.array(id).max(50).optional(),
  sourceIds: z.array(id).max(50).optional(),
});

export type LogDevelopmentRequest = z.infer<typeof logDevelopmentRequest>;
