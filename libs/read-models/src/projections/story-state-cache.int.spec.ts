import { storyStreamId } from '@newsroom/domain';
import { createPostgresEventStore, type EventStore, type RecordedEvent } from '@newsroom/event-store';
import { type DataSource } from 'typeorm';
// Test support crosses the lib boundary on purpose: it owns the throwaway databases.
import { given, openAndLog, uuid } from '../../../../tests/support/story-log';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import { createDataSource } from '../database/data-source';
import { type StorySnapshot } from '../story-snapshot';
import { applyBatch } from './apply-batch';
import { currentStates } from './snapshot-at';
import { StoryStateCache } from './story-state-cache';

let db: TestDatabase;
let dataSource: DataSource;
let store: EventStore;
const a = uuid(1);
const b = uuid(2);
let eventsOfA: readonly RecordedEvent[];
let eventsOfB: readonly RecordedEvent[];

beforeAll(async () => {
  db = await createTestDatabase();
  dataSource = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
  store = createPostgresEventStore({ url: db.url, poolSize: 4 });
  await given(store, a, openAndLog(a, 6));
  await given(store, b, openAndLog(b, 2));
  eventsOfA = await store.readStream(storyStreamId(a));
  eventsOfB = await store.readStream(storyStreamId(b));
}, 30_000);
afterAll(async () => {
  await store.close();
  await dataSource.destroy();
  await db.drop();
});

const storyRow = async (storyId: string): Promise<{ revision: number; headline: string; snapshot: StorySnapshot | undefined }> => {
  const [row] = await dataSource.query<{ revision: number; headline: string }[]>('SELECT revision, headline FROM read_model.stories WHERE story_id = $1', [storyId]);
  if (!row) throw new Error(`story ${storyId} is not projected`);
  return { ...row, snapshot: (await currentStates(dataSource, 'read_model', [storyId])).get(storyId)?.snapshot };
};

const slice = (events: readonly RecordedEvent[], from: number, to: number): RecordedEvent[] => events.slice(from, to);

describe('applyBatch with the live projector’s story cache', () => {
  const cache = new StoryStateCache(1 << 20);

  it('remembers what a batch committed and starts the next batch from it, not from the table', async () => {
    expect(await applyBatch(dataSource, 'read_model', slice(eventsOfA, 0, 3), { cache })).toBe(3);
    expect(cache.get(a)?.snapshot.revision).toBe(3);
    // Only a batch that trusts its memory over the table can undo this.
    await dataSource.query(`UPDATE read_model.stories SET headline = 'tampered' WHERE story_id = $1`, [a]);
    expect(await applyBatch(dataSource, 'read_model', slice(eventsOfA, 3, 4), { cache })).toBe(1);
    const row = await storyRow(a);
    expect(row.revision).toBe(4);
    expect(row.headline).toBe('Airstrike in Anbar');
  });

  it('forgets everything when the checkpoint is not the one it remembers (another writer, a rebuild swapped in)', async () => {
    expect(await applyBatch(dataSource, 'read_model', slice(eventsOfA, 4, 5))).toBe(1);
    expect(cache.get(a)?.snapshot.revision).toBe(4);
    // The remembered revision 4 would make revision 6 look like a gap: the batch must read revision 5 from the table.
    expect(await applyBatch(dataSource, 'read_model', slice(eventsOfA, 4, 6), { cache })).toBe(1);
    expect((await storyRow(a)).revision).toBe(6);
    expect(cache.get(a)?.snapshot.revision).toBe(6);
  });

  it('keeps nothing of a batch that rolled back, so none of its events is later taken as already projected', async () => {
    // B's third event without its first two is a gap: the whole batch, A's last event included, rolls back.
    await expect(applyBatch(dataSource, 'read_model', [...slice(eventsOfA, 6, 7), ...slice(eventsOfB, 2, 3)], { cache })).rejects.toThrow(/revision 3 after revision 0/);
    expect(cache.size).toBe(0);
    expect((await storyRow(a)).revision).toBe(6);
    expect(await applyBatch(dataSource, 'read_model', [...slice(eventsOfA, 6, 7), ...eventsOfB], { cache })).toBe(1 + eventsOfB.length);
    const [rowA, rowB] = [await storyRow(a), await storyRow(b)];
    expect(rowA.revision).toBe(7);
    expect(rowB.revision).toBe(eventsOfB.length);
    expect(cache.get(a)?.snapshot).toEqual(rowA.snapshot);
    expect(cache.get(b)?.snapshot).toEqual(rowB.snapshot);
    expect(rowA.snapshot?.revision).toBe(7);
  });
});
