import { type Position, START_POSITION } from '@newsroom/event-store';
import { assertSchemaName } from '../schema/read-model.ddl';
import { queryPrepared } from './prepared';
import { type Queryable } from './queryable';
import { combineWrites, type Statement } from './statement';

export interface Checkpoint {
  readonly position: Position;
  readonly eventsProcessed: number;
  readonly status: 'running' | 'failed';
  readonly error: string | null;
  readonly failedEventId: string | null;
  readonly lastRecordedAt: Date | null;
}

interface CheckpointRow {
  position_commit: string;
  position_prepare: string;
  events_processed: string;
  status: 'running' | 'failed';
  error: string | null;
  failed_event_id: string | null;
  last_recorded_at: Date | null;
}

const toCheckpoint = (row: CheckpointRow | undefined): Checkpoint =>
  row
    ? {
        position: { commit: BigInt(row.position_commit), prepare: BigInt(row.position_prepare) },
        eventsProcessed: Number(row.events_processed),
        status: row.status,
        error: row.error,
        failedEventId: row.failed_event_id,
        lastRecordedAt: row.last_recorded_at,
      }
    : { position: START_POSITION, eventsProcessed: 0, status: 'running', error: null, failedEventId: null, lastRecordedAt: null };

/**
 * Reads a projection's checkpoint. With `forUpdate` (inside the batch transaction) the row is
 * locked, so two projectors can never apply the same batch even if leadership were ever doubted.
 * The row is created on first use; after that, locking it is one round trip.
 */
export async function loadCheckpoint(db: Queryable, schemaName: string, projection: string, options: { forUpdate?: boolean } = {}): Promise<Checkpoint> {
  const s = assertSchemaName(schemaName);
  const select = (): Promise<CheckpointRow[]> =>
    db.query<CheckpointRow[]>(
      `SELECT position_commit, position_prepare, events_processed, status, error, failed_event_id, last_recorded_at
         FROM ${s}.projection_checkpoints WHERE projection = $1 ${options.forUpdate ? 'FOR UPDATE' : ''}`,
      [projection],
    );
  let rows = await select();
  if (options.forUpdate && rows.length === 0) {
    await db.query(
      `INSERT INTO ${s}.projection_checkpoints (projection, position_commit, position_prepare) VALUES ($1, -1, -1) ON CONFLICT (projection) DO NOTHING`,
      [projection],
    );
    rows = await select();
  }
  return toCheckpoint(rows[0]);
}

/**
 * Moves the checkpoint; call it in the same transaction as the read-model writes it covers. With
 * `notify`, the same statement queues a NOTIFY, which PostgreSQL delivers at commit (never for a
 * transaction that rolls back). With `alongside`, the batch's writes (to other tables) go in that
 * statement too (see combineWrites): one round trip for all of it.
 */
export async function saveCheckpoint(
  db: Queryable,
  schemaName: string,
  projection: string,
  position: Position,
  processed: number,
  lastRecordedAt: string | null,
  notify?: { readonly channel: string; readonly payload: string },
  alongside: readonly Statement[] = [],
): Promise<void> {
  const s = assertSchemaName(schemaName);
  const update: Statement = {
    sql: `UPDATE ${s}.projection_checkpoints
        SET position_commit = $2, position_prepare = $3, events_processed = events_processed + $4,
            last_recorded_at = COALESCE($5::timestamptz, last_recorded_at), updated_at = now(), status = 'running', error = NULL, failed_event_id = NULL
      WHERE projection = $1`,
    parameters: [projection, position.commit.toString(), position.prepare.toString(), processed, lastRecordedAt],
  };
  const statement = notify
    ? combineWrites(alongside, [{ name: 'moved', sql: `${update.sql} RETURNING 1`, parameters: update.parameters }], {
        sql: `SELECT pg_notify($1, $2) FROM (SELECT count(*) FROM moved) AS done`,
        parameters: [notify.channel, notify.payload],
      })
    : combineWrites(alongside, [], update);
  await queryPrepared(db, statement);
}

/** Records that a projection stopped on an event it cannot handle: health and metrics read this. */
export async function markFailed(db: Queryable, schemaName: string, projection: string, error: string, eventId: string | null): Promise<void> {
  const s = assertSchemaName(schemaName);
  await db.query(
    `INSERT INTO ${s}.projection_checkpoints (projection, position_commit, position_prepare, status, error, failed_event_id)
     VALUES ($1, -1, -1, 'failed', $2, $3)
     ON CONFLICT (projection) DO UPDATE SET status = 'failed', error = EXCLUDED.error, failed_event_id = EXCLUDED.failed_event_id, updated_at = now()`,
    [projection, error, eventId],
  );
}
