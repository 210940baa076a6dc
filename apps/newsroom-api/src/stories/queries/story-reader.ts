import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StoryNotFound } from '@newsroom/domain';
import { type Queryable, READ_MODEL_SCHEMA } from '@newsroom/read-models';
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
 * then run the read's queries in ONE read-only REPEATABLE READ transaction. The projector commits
 * whole batches, so all of a read's queries see the same batch and the revision the answer states
 * (`StoryHead.revision`) is exactly the one its rows come from.
 */
@Injectable()
export class StoryReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  /**
   * The current story as the read model stores it: one statement (one row is consistent on its
   * own) and the stored JSON text, which the caller sends as it is instead of parsing and
   * serialising tens of KB per request.
   */
  async current(storyId: string, minRevision: number | undefined): Promise<{ revision: number; json: string }> {
    await this.readYourWrites.awaitRevision(storyId, minRevision);
    const [row] = await this.dataSource.query<{ revision: number; json: string }[]>(
      `SELECT revision, snapshot::text AS json FROM ${READ_MODEL_SCHEMA}.stories WHERE story_id = $1`,
      [storyId],
    );
    if (!row) throw new StoryNotFound();
    return row;
  }

  async read<T>(storyId: string, minRevision: number | undefined, query: (db: Queryable, head: StoryHead) => Promise<T>): Promise<{ head: StoryHead; value: T }> {
    await this.readYourWrites.awaitRevision(storyId, minRevision);
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      const [row] = await manager.query<HeadRow[]>(`SELECT revision, created_at FROM ${READ_MODEL_SCHEMA}.stories WHERE story_id = $1`, [storyId]);
      if (!row) throw new StoryNotFound();
      const head: StoryHead = { storyId, revision: row.revision, createdAt: row.created_at };
      return { head, value: await query(manager, head) };
    });
  }
}
