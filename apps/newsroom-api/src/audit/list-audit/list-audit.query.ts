import { type z } from 'zod/v4';
import { type Queryable, READ_MODEL_SCHEMA } from '@newsroom/read-models';
import { type Page, toPage } from '../../shared/http/keyset-cursor';
import { instantKey, isoInstant } from '../../shared/sql/iso-instant';
import { type auditCursor, type ListAuditRequest } from './list-audit.request';

export interface AuditItem {
  readonly storyId: string;
  /** 1-based story revision. */
  readonly revision: number;
  readonly eventType: string;
  readonly editorId: string;
  readonly recordedAt: string;
  readonly reason: string | null;
  readonly correlationId: string | null;
}

interface Row {
  story_id: string;
  revision: number;
  event_type: string;
  editor_id: string;
  recorded_text: string;
  recorded_key: string;
  reason: string | null;
  correlation_id: string | null;
}

/**
 * Every editorial change across stories, newest first, keyset-paged on (recorded_at, story_id,
 * revision) DESC: audit_log is a view of story_revisions, whose audit indexes (that order alone,
 * and after editor_id or event_type; story_id's own for one story) are read backwards.
 */
export async function listAudit(db: Queryable, request: ListAuditRequest, after: z.infer<typeof auditCursor> | undefined): Promise<Page<AuditItem>> {
  const args: unknown[] = [];
  const arg = (value: unknown): string => {
    args.push(value);
    return `$${args.length}`;
  };
  const where: string[] = [];
  if (request.editorId !== undefined) where.push(`editor_id = ${arg(request.editorId)}`);
  if (request.eventType !== undefined) where.push(`event_type = ${arg(request.eventType)}`);
  if (request.storyId !== undefined) where.push(`story_id = ${arg(request.storyId)}::uuid`);
  if (request.from !== undefined) where.push(`recorded_at >= ${arg(request.from)}::timestamptz`);
  if (request.to !== undefined) where.push(`recorded_at < ${arg(request.to)}::timestamptz`);
  if (after !== undefined) where.push(`(recorded_at, story_id, revision) < (${arg(after.t)}::timestamptz, ${arg(after.s)}::uuid, ${arg(after.r)}::integer)`);
  const rows = await db.query<Row[]>(
    `SELECT story_id, revision, event_type, editor_id, ${isoInstant('recorded_at')} AS recorded_text, ${instantKey('recorded_at')} AS recorded_key, reason, correlation_id
       FROM ${READ_MODEL_SCHEMA}.audit_log
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY recorded_at DESC, story_id DESC, revision DESC
      LIMIT ${arg(request.limit + 1)}`,
    args,
  );
  return toPage(
    rows,
    request.limit,
    (row) => ({
      storyId: row.story_id,
      revision: row.revision,
      eventType: row.event_type,
      editorId: row.editor_id,
      recordedAt: row.recorded_text,
      reason: row.reason,
      correlationId: row.correlation_id,
    }),
    (row) => ({ k: 'audit', t: row.recorded_key, s: row.story_id, r: row.revision }),
  );
}
