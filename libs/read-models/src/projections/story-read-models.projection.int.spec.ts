import { storyStreamId, type StoryCommand } from '@newsroom/domain';
import { createPostgresEventStore, type EventStore } from '@newsroom/event-store';
import { type DataSource } from 'typeorm';
// Test support crosses the lib boundary on purpose: it owns the throwaway databases.
import { given as givenStory, openAndLog, StoryWriter, uuid } from '../../../../tests/support/story-log';
import { projectStories } from '../../../../tests/support/read-models';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import { createDataSource } from '../database/data-source';
import { applyToSnapshot, type StorySnapshot } from '../story-snapshot';
import { applyBatch } from './apply-batch';
import { currentStates, snapshotAt, snapshotsAt } from './snapshot-at';
import { KEYFRAME_INTERVAL, projectStoryEvents } from './story-read-models.projection';

let db: TestDatabase;
let dataSource: DataSource;
let store: EventStore;

beforeAll(async () => {
  db = await createTestDatabase();
  dataSource = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
  store = createPostgresEventStore({ url: db.url, poolSize: 4 });
});
afterAll(async () => {
  await store.close();
  await dataSource.destroy();
  await db.drop();
});

const given = (storyId: string, commands: readonly StoryCommand[]) => givenStory(store, storyId, commands);

const count = async (table: string, storyId: string): Promise<number> =>
  Number((await dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM read_model.${table} WHERE story_id = $1`, [storyId]))[0]?.n);

describe('given a story of 41 events in the log', () => {
  const storyId = uuid(1);
  let snapshots: StorySnapshot[];

  beforeAll(async () => {
    await given(storyId, openAndLog(storyId, 30));
    expect(await projectStories(dataSource, store, [storyId])).toBe(41);
    const events = await store.readStream(storyStreamId(storyId));
    let s: StorySnapshot | null = null;
    snapshots = [];
    for (const e of events) {
      s = applyToSnapshot(s, { type: e.type, data: e.data } as never, {
        revision: Number(e.revision) + 1,
        recordedAt: e.metadata.recordedAt as string,
        editorId: e.metadata.editorId as string,
        reason: null,
      });
      snapshots.push(s);
    }
  }, 40_000);

  it('projects one revision row and one audit row per event, and the current story', async () => {
    expect(await count('story_revisions', storyId)).toBe(snapshots.length);
    expect(await count('audit_log', storyId)).toBe(snapshots.length);
    expect(await count('developments', storyId)).toBe(30);
    expect(await count('claims', storyId)).toBe(10);
    const [story] = await dataSource.query<{ revision: number }[]>('SELECT revision FROM read_model.stories WHERE story_id = $1', [storyId]);
    expect(story?.revision).toBe(snapshots.length);
  });

  it('gives the current story from its newest keyframe and the patches after it, for the stories it has', async () => {
    const absent = '00000000-0000-4000-8000-000000000000';
    const states = await currentStates(dataSource, 'read_model', [storyId, absent]);
    expect([...states.keys()]).toEqual([storyId]);
    const state = states.get(storyId);
    expect(state?.snapshot).toEqual(snapshots.at(-1));
    // 41 revisions: the keyframe at 32 and nine patches; the estimate starts from the keyframe's exact length.
    expect(state?.jsonLength).toBeGreaterThan(JSON.stringify(snapshots[31]).length);
    expect(await currentStates(dataSource, 'read_model', [])).toEqual(new Map());
  });

  it('stores a full snapshot only on keyframes, yet gives back every revision exactly', async () => {
    const keyframes = await dataSource.query<{ revision: number }[]>(
      'SELECT revision FROM read_model.story_revisions WHERE story_id = $1 AND snapshot IS NOT NULL ORDER BY revision',
      [storyId],
    );
    expect(KEYFRAME_INTERVAL).toBe(32);
    expect(keyframes.map((k) => k.revision)).toEqual([1, 32]);
    for (const [i, expected] of snapshots.entries()) {
      expect(await snapshotAt(dataSource, 'read_model', storyId, i + 1)).toEqual(expected);
    }
    expect(await snapshotAt(dataSource, 'read_model', storyId, snapshots.length + 1)).toBeNull();
  });

  it('rebuilds several revisions at once, each exactly and each its own object, whether they share a keyframe or not', async () => {
    const cases: number[][] = [[5, 20], [20, 5], [31, 32], [10, 33, 41], [32, 40], [1, 41], [7, 7], [40, 42], [0, 3]];
    for (const wanted of cases) {
      const rebuilt = await snapshotsAt(dataSource, 'read_model', storyId, wanted);
      const existing = [...new Set(wanted)].filter((r) => r >= 1 && r <= snapshots.length);
      expect([...rebuilt.keys()].sort((a, b) => a - b)).toEqual(existing.sort((a, b) => a - b));
      for (const revision of existing) expect(rebuilt.get(revision)).toEqual(snapshots[revision - 1]);
      // Patched in place: no two results may share a document, or changing one would change the other.
      const docs = [...rebuilt.values()];
      expect(new Set(docs).size).toBe(docs.length);
    }
    const pair = await snapshotsAt(dataSource, 'read_model', storyId, [3, 9]);
    (pair.get(3)?.developments as unknown[]).push('changed');
    expect(pair.get(9)).toEqual(snapshots[8]);
  });

  it('changes nothing when the same events are applied again', async () => {
    const before = await dataSource.query<unknown[]>('SELECT * FROM read_model.story_revisions WHERE story_id = $1 ORDER BY revision', [storyId]);
    const events = await store.readStream(storyStreamId(storyId));
    await dataSource.transaction((manager) => projectStoryEvents(manager, 'read_model', events));
    expect(await applyBatch(dataSource, 'read_model', events)).toBe(0);
    const after = await dataSource.query<unknown[]>('SELECT * FROM read_model.story_revisions WHERE story_id = $1 ORDER BY revision', [storyId]);
    expect(after).toEqual(before);
    expect(await count('developments', storyId)).toBe(30);
  });
});

describe('the stories row\'s search vector', () => {
  const storyId = uuid(2);
  const matches = async (query: string): Promise<boolean> =>
    (
      await dataSource.query<{ hit: boolean }[]>(`SELECT search @@ websearch_to_tsquery('english', $2) AS hit FROM read_model.stories WHERE story_id = $1`, [
        storyId,
        query,
      ])
    )[0]?.hit === true;
  let writer: StoryWriter;
  /** Appends the commands and projects them, each call its own batch. */
  const write = async (commands: readonly StoryCommand[]): Promise<void> => {
    await writer.write(commands);
    await projectStories(dataSource, store, [storyId]);
  };

  it('follows the headline and summary as they are revised, and stays when other events update the row', async () => {
    writer = new StoryWriter(store, storyId);
    await write([{ type: 'OpenStory', data: { storyId, headline: 'Airstrike in Anbar', summary: 'Officials report casualties.', desk: 'world' } }]);
    expect(await matches('airstrike')).toBe(true);
    expect(await matches('casualties')).toBe(true);

    await write(openAndLog(storyId, 3).slice(1));
    expect(await matches('airstrike')).toBe(true);

    await write([{ type: 'ReviseStory', data: { headline: 'Ceasefire agreed in Anbar', reason: 'New facts.' } }]);
    expect(await matches('ceasefire')).toBe(true);
    expect(await matches('airstrike')).toBe(false);
    expect(await matches('casualties')).toBe(true);

    await write([{ type: 'ReviseStory', data: { summary: 'Talks continue in Baghdad.', reason: 'Update.' } }]);
    expect(await matches('baghdad')).toBe(true);
    expect(await matches('casualties')).toBe(false);
    expect(await matches('ceasefire')).toBe(true);
  });
});
