import { type Queryable, READ_MODEL_SCHEMA } from '@newsroom/read-models';
import { type StoryHead } from '../story-reader';
import { isoInstant } from '../../../shared/sql/iso-instant';

export interface TimelineItem {
  readonly developmentId: string;
  readonly kind: string;
  /** As the editor logged it ("2025-03-14", "2025-03-13T21:00:00+03:00"), or null when unknown. */
  readonly occurredAt: string | null;
  readonly occurredAtPrecision: string | null;
  /** The words the source used ("Thursday night"), if any. */
  readonly occurredAtLabel: string | null;
  readonly recordedAt: string;
  /** Current text (a correction's text when one replaced it). */
  readonly text: string;
  readonly status: string;
  /** The revision that logged it. */
  readonly revision: number;
}

interface Row {
  development_id: string;
  kind: string;
  occurred_text: string | null;
  occurred_at_as_logged: string | null;
  occurred_at_precision: string | null;
  occurred_at_label: string | null;
  recorded_text: string;
  text: string;
  status: string;
  revision: number;
}

const ORDER = {
  // An approximate or day-precision time sorts at the instant it names; without one, a development
  // sorts where it was logged. Ties (same instant) keep the order they were logged in.
  occurred: 'COALESCE(occurred_at, recorded_at), revision',
  recorded: 'recorded_at, revision',
} as const;

/** Every development of the story (retracted ones too, with their status), in the order asked for. */
export async function getTimeline(db: Queryable, head: StoryHead, order: keyof typeof ORDER): Promise<TimelineItem[]> {
  const rows = await db.query<Row[]>(
    `SELECT development_id, kind, ${isoInstant('occurred_at')} AS occurred_text, occurred_at_as_logged, occurred_at_precision, occurred_at_label,
            ${isoInstant('recorded_at')} AS recorded_text, text, status, revision
       FROM ${READ_MODEL_SCHEMA}.developments WHERE story_id = $1 ORDER BY ${ORDER[order]}`,
    [head.storyId],
  );
  return rows.map((row) => ({
    developmentId: row.development_id,
    kind: row.kind,
    // The table keeps occurred_at as an instant, which turns a date ("2025-03-14", precision day)
    // into a midnight in some zone; the answer shows the value as logged.
    occurredAt: row.occurred_at_as_logged ?? row.occurred_text,
    occurredAtPrecision: row.occurred_at_precision,
    occurredAtLabel: row.occurred_at_label,
    recordedAt: row.recorded_text,
    text: row.text,
    status: row.status,
    revision: row.revision,
  }));
}
