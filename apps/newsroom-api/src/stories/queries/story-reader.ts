import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { StoryNotFound } from '@newsroom/domain';
import { type Queryable, READ_MODEL_SCHEMA } from '@newsroom/read-models';
import { preparedQueryable, queryable, readModelPool } from './read-model-pool';
import { ReadYourWrites } from './read-your-writes';

/** The story row every story read starts from. */
export interface StoryHead {
  readonly storyId: string;
  /** The revision the read model holds: what this read reflects. */
  readonly revision: number;
  readonly createdAt: Date;
}

interface HeadRow {
  revision: number;
  created_at: Date;
}

/**
 * How every story read reaches the read model: first wait for `?minRevision=` (read-your-writes),
 * then either
 * - `read`: the read's queries in ONE read-only REPEATABLE READ transaction. The projector commits
 *   whole batches, so all of them see the same batch and the revision the answer states
 *   (`StoryHead.revision`) is exactly the one its rows come from; or
 * - `statement`: one statement, which is consistent on its own: for the history reads, which fetch
 *   the story's head and what they need of it together, then rebuild revisions at or below that
 *   head, which never change once projected (so a later statement reads the same rows).
 */
@Injectable()
export class StoryReader {
  private readonly pool: Pool;
  /** Single statements on the pool (each one consistent on its own), prepared: only fixed SQL texts. */
  readonly db: Queryable;

  constructor(
    dataSource: DataSource,
    private readonly readYourWrites: ReadYourWrites,
  ) {
    this.pool = readModelPool(dataSource);
    this.db = preparedQueryable(this.pool);
  }

  /** Read-your-writes, then one statement (which must find the story: else 404). */
  async statement<T>(storyId: string, minRevision: number | undefined, query: (db: Queryable) => Promise<T | undefined>): Promise<T> {
    await this.readYourWrites.awaitRevision(storyId, minRevision);
    const value = await query(this.db);
    if (value === undefined) throw new StoryNotFound();
    return value;
  }

  async read<T>(storyId: string, minRevision: number | undefined, query: (db: Queryable, head: StoryHead) => Promise<T>): Promise<{ head: StoryHead; value: T }> {
    await this.readYourWrites.awaitRevision(storyId, minRevision);
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      // One statement opens it as it must be; COMMIT of a read-only transaction only ends it.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const db = queryable(client);
      const [row] = await db.query<HeadRow[]>(`SELECT revision, created_at FROM ${READ_MODEL_SCHEMA}.stories WHERE story_id = $1`, [storyId]);
      if (!row) throw new StoryNotFound();
      const head: StoryHead = { storyId, revision: row.revision, createdAt: row.created_at };
      const value = await query(db, head);
      await client.query('COMMIT');
      return { head, value };
    } catch (error) {
      // A connection that cannot even roll back (it broke mid-statement) is not put back in the pool.
      await client.query('ROLLBACK').catch((failed: unknown) => {
        broken = failed instanceof Error ? failed : new Error(String(failed));
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
