import { storyStreamId } from '@newsroom/domain';
import { comparePositions, createPostgresEventStore, type EventStore, type RecordedEvent } from '@newsroom/event-store';
import { type DataSource } from 'typeorm';
// Test support crosses the lib boundary on purpose: it owns the throwaway databases.
import { given, openAndLog, StoryScript, StoryWriter, uuid } from '../../../../tests/support/story-log';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import { createDataSource } from '../database/data-source';
import { type StorySnapshot } from '../story-snapshot';
import { applyBatch, type PlannedBatch } from './apply-batch';
import { loadCheckpoint } from './checkpoint.store';
import { currentStates } from './snapshot-at';
import { type PreparedBatch, prepareKnownStoryBatch, STORY_PROJECTION } from './story-read-models.projection';

let db: TestDatabase;
let dataSource: DataSource;
let store: EventStore;
const a = uuid(1);
let eventsOfA: readonly RecordedEvent[];

beforeAll(async () => {
  db = await createTestDatabase();
  dataSource = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
  store = createPostgresEventStore({ url: db.url, poolSize: 4 });
  await given(store, a, openAndLog(a, 6));
  eventsOfA = await store.readStream(storyStreamId(a));
}, 30_000);
afterAll(async () => {
  await store.close();
  await dataSource.destroy();
  await db.drop();
});

const stored = async (storyId: string): Promise<{ headline: string; revision: number; snapshot: StorySnapshot | undefined } | undefined> => {
  const [row] = await dataSource.query<{ headline: string; revision: number }[]>(`SELECT headline, revision FROM read_model.stories WHERE story_id = $1`, [storyId]);
  return row && { ...row, snapshot: (await currentStates(dataSource, 'read_model', [storyId])).get(storyId)?.snapshot };
};

const known = (stories: Record<string, StorySnapshot>) => ({
  get: (storyId: string) => {
    const snapshot = stories[storyId];
    return snapshot && { snapshot, jsonLength: 0 };
  },
});

function plan(after: RecordedEvent, events: readonly RecordedEvent[], stories: Record<string, StorySnapshot>): PlannedBatch {
  const prepared = prepareKnownStoryBatch('read_model', events, known(stories));
  if (!prepared) throw new Error('expected a plan');
  return { after: after.position, events, prepared };
}

describe('a batch folded ahead of its transaction', () => {
  it('is folded without the database only when every story is known or opens in the batch', () => {
    expect(prepareKnownStoryBatch('read_model', eventsOfA.slice(0, 3), known({}))?.applied).toBe(3);
    expect(prepareKnownStoryBatch('read_model', eventsOfA.slice(1, 3), known({}))).toBeNull();
    // A fold that fails is left to the ordinary path, which reports it.
    expect(prepareKnownStoryBatch('read_model', eventsOfA.slice(2, 3), known({ [a]: { id: a, revision: 0 } as StorySnapshot }))).toBeNull();
  });

  it('is used when the checkpoint is the one it was folded at', async () => {
    expect(await applyBatch(dataSource, 'read_model', eventsOfA.slice(0, 2))).toBe(2);
    const state = (await stored(a))?.snapshot as StorySnapshot;
    // Folded against a state that differs from the stored one only in its headline: that headline is what gets written.
    const next = eventsOfA.slice(2, 4);
    const planned = plan(eventsOfA[1] as RecordedEvent, next, { [a]: { ...state, headline: 'from the plan' } });
    expect(await applyBatch(dataSource, 'read_model', next, { plan: planned })).toBe(2);
    expect(await stored(a)).toMatchObject({ headline: 'from the plan', revision: 4 });
  });

  it('is ignored, and the batch folded from the tables, when the checkpoint is not the one it was folded at', async () => {
    const stored4 = (await stored(a))?.snapshot as StorySnapshot;
    const batch = eventsOfA.slice(4, 7);
    // Folded as if a batch ending at A's event 5 had committed (it never did): the checkpoint is still at event 4.
    const stale = plan(eventsOfA[4] as RecordedEvent, batch, { [a]: { ...stored4, headline: 'stale' } });
    expect(await applyBatch(dataSource, 'read_model', batch, { plan: stale })).toBe(3);
    // Folded from the tables: the story as its keyframe and patches give it, not as the stale plan has it.
    expect(stored4.headline).not.toBe('stale');
    expect(await stored(a)).toMatchObject({ headline: stored4.headline, revision: 7 });
  });

  it('hands the batch it writes to whileWriting before the commit, and ignores what that throws', async () => {
    await given(store, uuid(3), openAndLog(uuid(3), 1));
    const events = await store.readStream(storyStreamId(uuid(3)));
    const seen: { applied: number; committedBefore: boolean }[] = [];
    const whileWriting = async (written: PreparedBatch, writing: Promise<unknown>): Promise<void> => {
      await writing;
      const checkpoint = await loadCheckpoint(dataSource, 'read_model', STORY_PROJECTION);
      seen.push({ applied: written.applied, committedBefore: checkpoint.position.commit === events.at(-1)?.position.commit });
      throw new Error('ignored');
    };
    expect(await applyBatch(dataSource, 'read_model', events, { whileWriting })).toBe(events.length);
    expect(seen).toEqual([{ applied: events.length, committedBefore: false }]);
    expect((await stored(uuid(3)))?.revision).toBe(events.length);
  });
});

describe("a batch's writes and checkpoint", () => {
  it('go as a named prepared statement, prepared once per connection and shape and then reused', async () => {
    // One connection, so every batch runs on the connection this test then asks.
    const single = await createDataSource({ url: db.url, poolSize: 1 }).initialize();
    try {
      const story = uuid(4);
      await given(store, story, openAndLog(story, 6));
      const events = await store.readStream(storyStreamId(story));
      for (const event of events) expect(await applyBatch(single, 'read_model', [event])).toBe(1);

      const prepared = await single.query<{ name: string; calls: number }[]>(
        `SELECT name, (generic_plans + custom_plans)::int AS calls FROM pg_prepared_statements WHERE name LIKE 'read-models-%' ORDER BY calls DESC`,
      );
      // The opening writes other tables than each logged development, whose six batches share one statement.
      expect(prepared.length).toBeGreaterThanOrEqual(2);
      expect(prepared[0]?.calls).toBe(6);
      expect((await stored(story))?.revision).toBe(events.length);
    } finally {
      await single.destroy();
    }
  });
});

describe('a batch over stories that took turns in the log', () => {
  it("writes its revisions and claim steps grouped by story, each story's in revision order", async () => {
    // Written in turns, the later id first: the log's order is neither sorted nor grouped.
    const [later, earlier] = [uuid(0x20), uuid(0x10)];
    const writers = [later, earlier].map((id) => ({ script: new StoryScript(id), writer: new StoryWriter(store, id) }));
    for (let step = 0; step < 12; step += 1) {
      for (const { script, writer } of writers) await writer.write([script.next()]);
    }
    const events = [...(await store.readStream(storyStreamId(later))), ...(await store.readStream(storyStreamId(earlier)))].sort((x, y) =>
      comparePositions(x.position, y.position),
    );
    expect(events.slice(0, 4).map((e) => e.streamId)).toEqual([later, earlier, later, earlier].map(storyStreamId));

    const prepared = prepareKnownStoryBatch('read_model', events, known({}));
    // Each statement's parameters are its columns' arrays: the story id first, the revision at `revisionColumn`.
    const rowsOf = (table: string, revisionColumn: number): [string, number][] => {
      const statement = prepared?.writes.find((w) => w.sql.startsWith(`INSERT INTO read_model.${table} `));
      const parameters = (statement?.parameters ?? []) as unknown[][];
      const [storyIds, revisions] = [parameters[0] ?? [], parameters[revisionColumn] ?? []] as [string[], number[]];
      return storyIds.map((id, i) => [id, revisions[i] as number]);
    };
    const grouped = (rows: [string, number][]): [string, number][] =>
      [...rows].sort(([a, m], [b, n]) => (a === b ? m - n : a < b ? -1 : 1));
    const revisions = rowsOf('story_revisions', 1);
    expect(revisions).toHaveLength(events.length);
    expect(revisions).toEqual(grouped(revisions));
    expect(revisions[0]).toEqual([earlier, 1]);
    const claimSteps = rowsOf('claim_history', 2);
    expect(new Set(claimSteps.map(([id]) => id)).size).toBe(2);
    expect(claimSteps).toEqual(grouped(claimSteps));

    expect(await applyBatch(dataSource, 'read_model', events)).toBe(events.length);
    expect((await stored(earlier))?.revision).toBe(events.filter((e) => e.streamId === storyStreamId(earlier)).length);
  });
});
