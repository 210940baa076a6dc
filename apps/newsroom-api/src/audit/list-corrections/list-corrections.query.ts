import { type z } from 'zod/v4';
import { type Queryable, READ_MODEL_SCHEMA } from '@newsroom/read-models';
import { type Page, toPage } from '../../shared/http/keyset-cursor';
import { instantKey, isoInstant } from '../../shared/sql/iso-instant';
import { type correctionsCursor } from './list-corrections.request';

export interface CorrectionItem {
  readonly storyId: string;
  readonly correctionId: string;
  /** The story revision that issued it (1-based). */
  readonly revision: number;
  readonly target: { readonly type: string; readonly id: string | null };
  readonly kind: string;
  readonly note: string;
  readonly correctedText: string | null;
  readonly issuedAt: string;
  readonly editorId: string;
}

interface Row {
  story_id: string;
  correction_id: string;
  revision: number;
  target_type: string;
  target_id: string | null;
  kind: string;
  note: string;
  corrected_text: string | null;
  issued_text: string;
  issued_key: string;
  editor_id: string;
}

/** The public corrections ledger across stories, newest first, keyset-paged on (issued_at, story_id, revision) DESC. */
export async function listCorrections(db: Queryable, limit: number, after: z.infer<typeof correctionsCursor> | undefined): Promise<Page<CorrectionItem>> {
  const rows = await db.query<Row[]>(
    `SELECT story_id, correction_id, revision, target_type, target_id, kind, note, corrected_text, ${isoInstant('issued_at')} AS issued_text,
            ${instantKey('issued_at')} AS issued_key, editor_id
       FROM ${READ_MODEL_SCHEMA}.corrections
      WHERE $1::timestamptz IS NULL OR (issued_at, story_id, revision) < ($1::timestamptz, $2::uuid, $3::integer)
      ORDER BY issued_at DESC, story_id DESC, revision DESC
      LIMIT $4`,
    [after?.t ?? null, after?.s ?? null, after?.r ?? null, limit + 1],
  );
  return toPage(
    rows,
    limit,
    (row) => ({
      storyId: row.story_id,
      correctionId: row.correction_id,
      revision: row.revision,
      target: { type: row.target_type, id: row.target_id },
      kind: row.kind,
      note: row.note,
      correctedText: row.corrected_text,
      issuedAt: row.issued_text,
      editorId: row.editor_id,
    }),
    (row) => ({ k: 'corrections', t: row.issued_key, s: row.story_id, r: row.revision }),
  );
}
