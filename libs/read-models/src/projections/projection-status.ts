import { type Position, START_POSITION } from '@newsroom/event-store';
import { assertSchemaName, READ_MODEL_SCHEMA } from '../schema/read-model.ddl';
import { lagAfter } from './event-log.queries';
import { type Queryable } from './queryable';
import { STORY_PROJECTION } from './story-read-models.projection';

/** Counting stops here: a lag this large is an incident however large it really is. */
export const EVENTS_BEHIND_CAP = 100_000;

export interface ProjectionStatus {
  readonly projection: string;
  /** `not_started`: the schema has no checkpoint yet (no batch was ever committed). */
  readonly status: 'running' | 'failed' | 'not_started';
  readonly error: string | null;
  readonly failedEventId: string | null;
  readonly checkpoint: Position;
  /** Events in the log after the checkpoint, counted up to EVENTS_BEHIND_CAP. */
  readonly eventsBehind: number;
  /** True when the count stopped at the cap: at least that many are behind. */
  readonly eventsBehindCapped: boolean;
  /** Age of the oldest event not yet projected (the store's commit clock); 0 when caught up. */
  readonly secondsBehind: number;
}

interface CheckpointRow {
  position_commit: string;
  position_prepare: string;
  status: 'running' | 'failed';
  error: string | null;
  failed_event_id: string | null;
}

/**
 * Where the story projection stands, for /health/ready and /metrics: its checkpoint row and how
 * far the log has moved past it. Two short queries; the lag is read from the PostgreSQL event
 * store's table directly (see event-log.queries.ts), which is why this needs no EventStore.
 */
export async function readProjectionStatus(db: Queryable, schemaName: string = READ_MODEL_SCHEMA): Promise<ProjectionStatus> {
  const s = assertSchemaName(schemaName);
  const [row] = await db.query<CheckpointRow[]>(
    `SELECT position_commit::text AS position_commit, position_prepare::text AS position_prepare, status, error,
            failed_event_id::text AS failed_event_id
       FROM ${s}.projection_checkpoints WHERE projection = $1`,
    [STORY_PROJECTION],
  );
  const checkpoint = row ? { commit: BigInt(row.position_commit), prepare: BigInt(row.position_prepare) } : START_POSITION;
  const lag = await lagAfter(db, checkpoint, EVENTS_BEHIND_CAP);
  return {
    projection: STORY_PROJECTION,
    status: row ? row.status : 'not_started',
    error: row?.error ?? null,
    failedEventId: row?.failed_event_id ?? null,
    checkpoint,
    eventsBehind: lag.events,
    eventsBehindCapped: lag.events >= EVENTS_BEHIND_CAP,
    secondsBehind: lag.seconds,
  };
}
