import { type Queryable, READ_MODEL_SCHEMA } from '@newsroom/read-models';
import { type StoryHead } from '../story-reader';
import { isoInstant } from '../../../shared/sql/iso-instant';

export interface ClaimStepItem {
  readonly status: string;
  readonly at: string;
  readonly editorId: string;
  /** The development that reported, confirmed or disputed it; null for a retraction. */
  readonly developmentId: string | null;
  readonly revision: number;
  readonly reason: string | null;
}

export interface ClaimCorrectionItem {
  readonly correctionId: string;
  readonly kind: string;
  readonly note: string;
  readonly correctedText: string | null;
  readonly issuedAt: string;
  readonly revision: number;
}

export interface ClaimItem {
  readonly id: string;
  /** Current text: a correction's text when one replaced it. */
  readonly text: string;
  /** The text as first reported, only when a correction changed it. */
  readonly originalText: string | null;
  readonly status: string;
  readonly developmentId: string;
  /** Every status the claim has had, oldest first: reported, then confirmed / disputed / retracted. */
  readonly history: ClaimStepItem[];
  readonly corrections: ClaimCorrectionItem[];
}

interface ClaimRow {
  claim_id: string;
  text: string;
  original_text: string | null;
  status: string;
  development_id: string;
}

interface StepRow {
  claim_id: string;
  status: string;
  at_text: string;
  editor_id: string;
  development_id: string | null;
  revision: number;
  reason: string | null;
}

interface CorrectionRow {
  target_id: string;
  correction_id: string;
  kind: string;
  note: string;
  corrected_text: string | null;
  issued_text: string;
  revision: number;
}

function groupBy<Row>(rows: readonly Row[], keyOf: (row: Row) => string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const group = groups.get(keyOf(row));
    if (group) group.push(row);
    else groups.set(keyOf(row), [row]);
  }
  return groups;
}

/** The story's claims in the order they were reported, each with its status history and corrections. */
export async function listClaims(db: Queryable, head: StoryHead): Promise<ClaimItem[]> {
  const s = READ_MODEL_SCHEMA;
  const claims = await db.query<ClaimRow[]>(
    `SELECT claim_id, text, original_text, status, development_id FROM ${s}.claims WHERE story_id = $1 ORDER BY revision, claim_id`,
    [head.storyId],
  );
  const steps = await db.query<StepRow[]>(
    `SELECT claim_id, status, ${isoInstant('at')} AS at_text, editor_id, development_id, revision, reason FROM ${s}.claim_history WHERE story_id = $1 ORDER BY revision`,
    [head.storyId],
  );
  const corrections = await db.query<CorrectionRow[]>(
    `SELECT target_id, correction_id, kind, note, corrected_text, ${isoInstant('issued_at')} AS issued_text, revision
       FROM ${s}.corrections WHERE story_id = $1 AND target_type = 'claim' ORDER BY revision`,
    [head.storyId],
  );
  const stepsOf = groupBy(steps, (step) => step.claim_id);
  const correctionsOf = groupBy(corrections, (c) => c.target_id);
  return claims.map((claim) => ({
    id: claim.claim_id,
    text: claim.text,
    originalText: claim.original_text,
    status: claim.status,
    developmentId: claim.development_id,
    history: (stepsOf.get(claim.claim_id) ?? []).map((step) => ({
      status: step.status,
      at: step.at_text,
      editorId: step.editor_id,
      developmentId: step.development_id,
      revision: step.revision,
      reason: step.reason,
    })),
    corrections: (correctionsOf.get(claim.claim_id) ?? []).map((c) => ({
      correctionId: c.correction_id,
      kind: c.kind,
      note: c.note,
      correctedText: c.corrected_text,
      issuedAt: c.issued_text,
      revision: c.revision,
    })),
  }));
}
