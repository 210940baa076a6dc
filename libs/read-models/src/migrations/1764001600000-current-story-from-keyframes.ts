import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { currentStates } from '../projections/snapshot-at';
import { READ_MODEL_SCHEMA } from '../schema/read-model.ddl';

/**
 * `stories.snapshot` goes. The live projector rewrote it whole for every story a batch touched,
 * so a one-line development on a story of 30 developments wrote some 23 KB of JSON (and as much
 * TOAST and WAL), and at 2,000 appends/s over 2,000 stories that was one whole snapshot per event:
 * the largest part of the projection's cost, and a cost that grew with the story. The story is
 * already stored another way: `story_revisions` keeps a keyframe every 32 revisions and a patch
 * for each one, so the current story is its newest keyframe with at most 31 patches applied
 * (`currentStates`, and the API's `revisions/{n}` path, which caches the result).
 *
 * The one query that looked inside the snapshot, the timeline's occurredAt as the editor logged it
 * (a date stays a date, where `occurred_at` holds an instant), reads the new column
 * `developments.occurred_at_as_logged`, filled here from the snapshots before they go.
 *
 * Idempotent on purpose: CreateReadModels builds from readModelDdl as it is today, so a database
 * created after this change already has this shape.
 */
export class CurrentStoryFromKeyframes1764001600000 implements MigrationInterface {
  name = 'CurrentStoryFromKeyframes1764001600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = READ_MODEL_SCHEMA;
    const hasSnapshot = await hasColumn(queryRunner, 'stories', 'snapshot');
    if (!(await hasColumn(queryRunner, 'developments', 'occurred_at_as_logged'))) {
      await queryRunner.query(`ALTER TABLE ${s}.developments ADD COLUMN occurred_at_as_logged text`);
      if (hasSnapshot) {
        await queryRunner.query(
          `UPDATE ${s}.developments d SET occurred_at_as_logged = x.occurred_at
             FROM (SELECT st.story_id, e->>'id' AS development_id, e->>'occurredAt' AS occurred_at
                     FROM ${s}.stories st, json_array_elements(st.snapshot::json->'developments') AS e) x
            WHERE d.story_id = x.story_id AND d.development_id::text = x.development_id AND x.occurred_at IS NOT NULL`,
        );
      }
    }
    if (hasSnapshot) await queryRunner.query(`ALTER TABLE ${s}.stories DROP COLUMN snapshot`);
  }

  /** Puts the column back and fills it, story by story, from the keyframes and patches. */
  async down(queryRunner: QueryRunner): Promise<void> {
    const s = READ_MODEL_SCHEMA;
    await queryRunner.query(`ALTER TABLE ${s}.stories ADD COLUMN snapshot json`);
    await queryRunner.query(
      `DO $$ BEGIN
         ALTER TABLE ${s}.stories ALTER COLUMN snapshot SET COMPRESSION lz4;
       EXCEPTION WHEN feature_not_supported THEN NULL;
       END $$`,
    );
    const db = { query: async <T>(sql: string, parameters?: unknown[]): Promise<T> => (await queryRunner.query(sql, parameters)) as T };
    for (;;) {
      const rows = (await queryRunner.query(`SELECT story_id FROM ${s}.stories WHERE snapshot IS NULL LIMIT 500`)) as { story_id: string }[];
      if (rows.length === 0) break;
      const states = await currentStates(db, s, rows.map((row) => row.story_id));
      const ids = rows.map((row) => row.story_id);
      const missing = ids.filter((id) => !states.has(id));
      if (missing.length > 0) throw new Error(`Stories without revisions, cannot restore their snapshot: ${missing.join(', ')}`);
      await queryRunner.query(
        `UPDATE ${s}.stories st SET snapshot = x.snapshot::json FROM unnest($1::uuid[], $2::text[]) AS x(story_id, snapshot) WHERE st.story_id = x.story_id`,
        [ids, ids.map((id) => JSON.stringify(states.get(id)?.snapshot))],
      );
    }
    await queryRunner.query(`ALTER TABLE ${s}.stories ALTER COLUMN snapshot SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE ${s}.developments DROP COLUMN occurred_at_as_logged`);
  }
}

async function hasColumn(queryRunner: QueryRunner, table: string, column: string): Promise<boolean> {
  const rows = (await queryRunner.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3`, [
    READ_MODEL_SCHEMA,
    table,
    column,
  ])) as unknown[];
  return rows.length > 0;
}
