import { z } from 'zod/v4';
import { isStoryEventType, storyEventTypes } from '@newsroom/domain';
import { cursorParam, instantParam, limitParam } from '../../shared/http/parse-query';

export const listAuditRequest = z
  .strictObject({
    editorId: z.string().trim().min(1).max(200).optional(),
    eventType: z
      .string()
      .refine(isStoryEventType, `must be one of ${storyEventTypes.join(', ')}`)
      .optional(),
    storyId: z.uuid('must be a story id (a UUID)').optional(),
    /** Inclusive. */
    from: instantParam.optional(),
    /** Exclusive. */
    to: instantParam.optional(),
    limit: limitParam,
    cursor: cursorParam.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), { message: 'must be later than from', path: ['to'] });

export type ListAuditRequest = z.infer<typeof listAuditRequest>;

/** The last row of the previous page: (recordedAt, storyId, revision). */
export const auditCursor = z.strictObject({ k: z.literal('audit'), t: z.iso.datetime(), s: z.uuid(), r: z.number().int().min(1) });
