import { type z } from 'zod/v4';
import { type Queryable, READ_MODEL_SCHEMA } from '@newsroom/read-models';
import { type Page, toPage } from '../../../shared/http/keyset-cursor';
import { instantKey, isoInstant } from '../../../shared/sql/iso-instant';
import { type ListStoriesRequest, type storiesCursor } from './list-stories.request';

export interface StoryListItem {
  readonly id: string;
  readonly slug: string;
  readonly headline: string;
  readonly desk: string;
  readonly status: string;
  readonly revision: number;
  readonly updatedAt: string;
}

interface Row {
  story_id: string;
  slug: string;
  headline: string;
  desk: string;
  status: string;
  revision: number;
  updated_text: string;
  updated_key: string;
}

/**
 * Stories, most recently changed first, keyset-paged on (updated_at DESC, story_id DESC), which
 * the read model indexes (alone, and after desk or status). `q` narrows by full-text search over
 * headline, summary and developments but keeps the same order, so paging stays gap-free.
 */
export async function listStories(db: Queryable, request: ListStoriesRequest, after: z.infer<typeof storiesCursor> | undefined): Promise<Page<StoryListItem>> {
  const args: unknown[] = [];
  const arg = (value: unknown): string => {
    args.push(value);
    return `$${args.length}`;
  };
  const where: string[] = [];
  if (request.desk !== undefined) where.push(`desk = ${arg(request.desk)}`);
  if (request.status !== undefined) where.push(`status = ${arg(request.status)}`);
  if (request.q !== undefined) {
    // Headline and summary are indexed on the story, each development's text on its own row, so a
    // write re-indexes only what it changed.
    const query = `websearch_to_tsquery('english', ${arg(request.q)})`;
    where.push(
      `(s.search @@ ${query} OR EXISTS (SELECT 1 FROM ${READ_MODEL_SCHEMA}.developments d WHERE d.story_id = s.story_id AND d.search @@ ${query}))`,
    );
  }
  if (after !== undefined) where.push(`(updated_at, story_id) < (${arg(after.u)}::timestamptz, ${arg(after.i)}::uuid)`);
  const rows = await db.query<Row[]>(
    `SELECT story_id, slug, headline, desk, status, revision, ${isoInstant('updated_at')} AS updated_text, ${instantKey('updated_at')} AS updated_key
       FROM ${READ_MODEL_SCHEMA}.stories s
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY updated_at DESC, story_id DESC
      LIMIT ${arg(request.limit + 1)}`,
    args,
  );
  return toPage(
    rows,
    request.limit,
    (row) => ({
      id: row.story_id,
      slug: row.slug,
      headline: row.headline,
      desk: row.desk,
      status: row.status,
      revision: row.revision,
      updatedAt: row.updated_text,
    }),
    (row) => ({ k: 'stories', u: row.updated_key, i: row.story_id }),
  );
}
