import { type StoryCommand } from '@newsroom/domain';
import { createPostgresEventStore, type EventStore } from '@newsroom/event-store';
import { type DataSource } from 'typeorm';
// Test support crosses the lib boundary on purpose: it owns the throwaway databases.
import { projectStories } from '../../../../tests/support/read-models';
import { given, nextUuid, openAndLog, uuid } from '../../../../tests/support/story-log';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import { createDataSource } from '../database/data-source';
import { currentStates } from '../projections/snapshot-at';
import { CurrentStoryFromKeyframes1764001600000 } from './1764001600000-current-story-from-keyframes';

let db: TestDatabase;
let dataSource: DataSource;
let store: EventStore;
const dated = uuid(0x1600_0001);
const long = uuid(0x1600_0002);
const day = nextUuid();
const offset = nextUuid();

beforeAll(async () => {
  db = await createTestDatabase();
  dataSource = await createDataSource({ url: db.url, poolSize: 2 }).initialize();
  store = createPostgresEventStore({ url: db.url, poolSize: 2 });
  const logged = (developmentId: string, at: string, precision: 'day' | 'approximate'): StoryCommand => ({
    type: 'LogDevelopment',
    data: { developmentId, kind: 'report', text: `logged at ${at}`, attribution: { anonymous: false }, claims: [], occurredAt: { at, precision } },
  });
  await given(store, dated, [
    { type: 'OpenStory', data: { storyId: dated, headline: 'Airstrike in Anbar', desk: 'world' } },
    logged(day, '2025-03-14', 'day'),
    logged(offset, '2025-03-13T21:00:00+03:00', 'approximate'),
  ]);
  // More than 32 revisions: a keyframe at 32 and patches after it.
  await given(store, long, openAndLog(long, 40));
  await projectStories(dataSource, store, [dated, long]);
}, 40_000);
afterAll(async () => {
  await store.close();
  await dataSource.destroy();
  await db.drop();
});

const columnsOf = async (table: string): Promise<string[]> =>
  (
    await dataSource.query<{ column_name: string }[]>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'read_model' AND table_name = $1 ORDER BY column_name`,
      [table],
    )
  ).map((row) => row.column_name);

const asLogged = async (): Promise<Record<string, string | null>> =>
  Object.fromEntries(
    (await dataSource.query<{ development_id: string; occurred_at_as_logged: string | null }[]>(`SELECT development_id, occurred_at_as_logged FROM read_model.developments WHERE story_id = $1`, [dated])).map(
      (row) => [row.development_id, row.occurred_at_as_logged],
    ),
  );

it('takes a database of the old shape to the new one, keeping occurredAt as logged, and back again with every snapshot restored', async () => {
  const migration = new CurrentStoryFromKeyframes1764001600000();
  const expected = await currentStates(dataSource, 'read_model', [dated, long]);
  expect(await asLogged()).toEqual({ [day]: '2025-03-14', [offset]: '2025-03-13T21:00:00+03:00' });

  const runner = dataSource.createQueryRunner();
  try {
    // Back to the shape before the migration: the snapshot on the stories row, no occurred_at_as_logged.
    await migration.down(runner);
    expect(await columnsOf('stories')).toContain('snapshot');
    expect(await columnsOf('developments')).not.toContain('occurred_at_as_logged');
    const restored = await dataSource.query<{ story_id: string; snapshot: unknown }[]>(`SELECT story_id, snapshot FROM read_model.stories`);
    expect(new Map(restored.map((row) => [row.story_id, row.snapshot]))).toEqual(new Map([...expected].map(([id, state]) => [id, state.snapshot])));

    await migration.up(runner);
    expect(await columnsOf('stories')).not.toContain('snapshot');
    expect(await asLogged()).toEqual({ [day]: '2025-03-14', [offset]: '2025-03-13T21:00:00+03:00' });
    // Run again, it changes nothing (a database created after it already has this shape).
    await migration.up(runner);
    expect(await asLogged()).toEqual({ [day]: '2025-03-14', [offset]: '2025-03-13T21:00:00+03:00' });
  } finally {
    await runner.release();
  }
});
