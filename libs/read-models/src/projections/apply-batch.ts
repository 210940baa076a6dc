import { type DataSource } from 'typeorm';
import { comparePositions, type EventStore, type Position, type RecordedEvent } from '@newsroom/event-store';
import { READ_MODEL_SCHEMA } from '../schema/read-model.ddl';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.store';
import { type Queryable } from './queryable';
import { advancedPayload, READ_MODELS_ADVANCED_CHANNEL } from './read-models-advanced';
import { type PreparedBatch, prepareStoryBatch, type ProjectedBatch, STORY_PROJECTION } from './story-read-models.projection';
import { type StoryStateCache } from './story-state-cache';

export interface ApplyBatchOptions {
  /**
   * NOTIFY `read_models_advanced` in the transaction (delivered at commit). Defaults to true for
   * the live schema only: nobody reads a schema that a rebuild is still filling.
   */
  readonly notify?: boolean;
  /**
   * Wait for the commit to reach disk (the default). A rebuild's batches need not: they fill a
   * schema nobody reads yet, and a crash mid-rebuild throws that schema away anyway. Only its
   * swap, which makes the result live, must be durable.
   */
  readonly durable?: boolean;
  /**
   * The live projector's memory of the stories it committed (see StoryStateCache): used when the
   * locked checkpoint is the one it remembers, updated only after the commit, emptied on any error.
   */
  readonly cache?: StoryStateCache;
  /**
   * These very events folded ahead of the transaction (see PlannedBatch). Used when the locked
   * checkpoint is the one it was folded at and every event is new; otherwise ignored, and the
   * batch is folded in the transaction as usual.
   */
  readonly plan?: PlannedBatch;
  /**
   * Called once the batch's writes are on their way (`writing` settles when PostgreSQL is done
   * with them), before the commit, which waits for it: the live projector folds its next batch
   * there. Not called for a batch with nothing new. Anything it throws is ignored.
   */
  readonly whileWriting?: (written: PreparedBatch, writing: Promise<unknown>) => Promise<void>;
}

/**
 * A batch folded before its transaction against the state the read models hold at checkpoint
 * `after` (the state a batch still committing will leave). Valid only if the checkpoint the
 * batch's transaction locks is `after`: the read models are a function of the log up to the
 * checkpoint, so then they are exactly the state it was folded against.
 */
export interface PlannedBatch {
  readonly after: Position;
  readonly events: readonly RecordedEvent[];
  readonly prepared: PreparedBatch;
}

interface Applied extends ProjectedBatch {
  /** The checkpoint's new position; null when every event was at or before it. */
  readonly moved: Position | null;
}

/**
 * Applies one batch and moves the checkpoint in ONE transaction: a crash leaves either both or
 * neither, so no event is ever skipped or applied twice. Events at or before the checkpoint are
 * ignored (a redelivered batch is harmless). Returns the number of events newly covered.
 */
export async function applyBatch(
  dataSource: DataSource,
  schema: string,
  events: readonly RecordedEvent[],
  options: ApplyBatchOptions = {},
): Promise<number> {
  if (events.length === 0) return 0;
  const { cache } = options;
  try {
    const result = await dataSource.transaction(async (manager) => {
      if (options.durable === false) await manager.query(`SET LOCAL synchronous_commit = off`);
      return applyInTransaction(manager, schema, events, options);
    });
    if (cache && result.moved) cache.remember(result.moved, result.stories);
    return result.applied;
  } catch (error) {
    // Rolled back, or a commit whose outcome is unknown: the next batch reads from the tables.
    cache?.clear();
    throw error;
  }
}

/**
 * `applyBatch`'s body, for a caller that already holds the transaction (the rebuild's swap
 * catches up inside the transaction that renames the schemas). The checkpoint row is locked
 * FOR UPDATE first, so two writers of one schema can never apply the same events.
 */
export async function applyBatchInTransaction(
  tx: Queryable,
  schema: string,
  events: readonly RecordedEvent[],
  options: ApplyBatchOptions = {},
): Promise<number> {
  return (await applyInTransaction(tx, schema, events, options)).applied;
}

async function applyInTransaction(tx: Queryable, schema: string, events: readonly RecordedEvent[], options: ApplyBatchOptions): Promise<Applied> {
  const checkpoint = await loadCheckpoint(tx, schema, STORY_PROJECTION, { forUpdate: true });
  options.cache?.syncTo(checkpoint.position);
  const fresh = events.filter((e) => comparePositions(e.position, checkpoint.position) > 0);
  const last = fresh.at(-1);
  if (!last) return { applied: 0, stories: new Map(), moved: null };
  const { plan } = options;
  const planned = plan && plan.events === events && fresh.length === events.length && comparePositions(plan.after, checkpoint.position) === 0;
  const prepared = planned ? plan.prepared : await prepareStoryBatch(tx, schema, fresh, options.cache);
  const recordedAt = last.metadata.recordedAt;
  const notify = (options.notify ?? schema === READ_MODEL_SCHEMA) ? { channel: READ_MODELS_ADVANCED_CHANNEL, payload: advancedPayload(fresh) } : undefined;
  // The read-model writes and the checkpoint in one statement: one round trip per batch, however many tables it touches.
  const saving = saveCheckpoint(tx, schema, STORY_PROJECTION, last.position, fresh.length, typeof recordedAt === 'string' ? recordedAt : null, notify, prepared.writes);
  const { whileWriting } = options;
  // setImmediate: after the statement has gone out (the driver sends it within this turn's microtasks).
  const during = whileWriting
    ? new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => whileWriting(prepared, saving.catch(() => undefined)))
        .catch(() => undefined)
    : undefined;
  try {
    await saving;
  } finally {
    await during;
  }
  return { applied: fresh.length, stories: prepared.stories, moved: last.position };
}

/**
 * Projects everything committed up to now, then returns. For tests, the rebuild and one-shot
 * tools; the long-running projector follows the log with the same `applyBatch`.
 */
export async function catchUpProjections(
  dataSource: DataSource,
  store: EventStore,
  options: { schema?: string; batchSize?: number } = {},
): Promise<number> {
  const schema = options.schema ?? READ_MODEL_SCHEMA;
  const batchSize = options.batchSize ?? 500;
  const head = await store.headPosition();
  if (!head) return 0;
  const checkpoint = await loadCheckpoint(dataSource, schema, STORY_PROJECTION);
  if (comparePositions(checkpoint.position, head) >= 0) return 0;
  const subscription = store.subscribeToAll({ fromPosition: checkpoint.position });
  let batch: RecordedEvent[] = [];
  let total = 0;
  try {
    for await (const event of subscription) {
      batch.push(event);
      const reachedHead = comparePositions(event.position, head) >= 0;
      if (batch.length >= batchSize || reachedHead) {
        total += await applyBatch(dataSource, schema, batch);
        batch = [];
      }
      if (reachedHead) break;
    }
  } finally {
    await subscription.close();
  }
  return total;
}
