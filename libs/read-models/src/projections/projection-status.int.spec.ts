import { type DataSource } from 'typeorm';
import { comparePositions, createPostgresEventStore, START_POSITION, type AppendResult, type EventStore } from '@newsroom/event-store';
// Test support crosses the lib boundary on purpose: it owns the throwaway databases and the story writers.
import { StoryScript, StoryWriter } from '../../../../tests/support/story-log';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import { createDataSource } from '../database/data-source';
import { applyBatch } from './apply-batch';
import { markFailed } from './checkpoint.store';
import { lagAfter } from './event-log.queries';
import { readProjectionStatus } from './projection-status';
import { STORY_PROJECTION } from './story-read-models.projection';

let db: TestDatabase;
let dataSource: DataSource;
let store: EventStore;

beforeAll(async () => {
  db = await createTestDatabase();
  dataSource = await createDataSource({ url: db.url, poolSize: 2 }).initialize();
  store = createPostgresEventStore({ url: db.url, poolSize: 2 });
});
afterAll(async () => {
  await store.close();
  await dataSource.destroy();
  await db.drop();
});

async function writeCommands(script: StoryScript, writer: StoryWriter, commands: number): Promise<AppendResult> {
  let last: AppendResult | null = null;
  for (let i = 0; i < commands; i += 1) last = await writer.write([script.next()]);
  if (!last) throw new Error('nothing written');
  return last;
}

describe('the projection status', () => {
  const script = new StoryScript();
  let writer: StoryWriter;

  beforeAll(() => {
    writer = new StoryWriter(store, script.storyId);
  });

  it('is not_started before any batch, with the whole log behind and its age', async () => {
    await writeCommands(script, writer, 3);
    const status = await readProjectionStatus(dataSource);
    const events = await store.readStream(`story-${script.storyId}`);
    expect(status).toMatchObject({ projection: STORY_PROJECTION, status: 'not_started', checkpoint: START_POSITION, eventsBehind: events.length, eventsBehindCapped: false, error: null });
    expect(status.secondsBehind).toBeGreaterThan(0);
    expect(status.secondsBehind).toBeLessThan(60);
  });

  it('is running with no lag once everything is projected', async () => {
    const events = await store.readStream(`story-${script.storyId}`);
    await applyBatch(dataSource, 'read_model', events);
    const status = await readProjectionStatus(dataSource);
    expect(status).toMatchObject({ status: 'running', checkpoint: events.at(-1)?.position, eventsBehind: 0, secondsBehind: 0 });
  });

  it('counts what was appended after the checkpoint', async () => {
    await writeCommands(script, writer, 2);
    const status = await readProjectionStatus(dataSource);
    const events = await store.readStream(`story-${script.storyId}`);
    const projected = events.filter((e) => comparePositions(e.position, status.checkpoint) <= 0).length;
    expect(status.eventsBehind).toBe(events.length - projected);
    expect(status.eventsBehind).toBeGreaterThan(0);
    expect(status.secondsBehind).toBeGreaterThan(0);
  });

  it('stops counting at the cap', async () => {
    const lag = await lagAfter(dataSource, START_POSITION, 2);
    expect(lag.events).toBe(2);
  });

  it('is failed, with the error and the event, once the projection has stopped', async () => {
    await markFailed(dataSource, 'read_model', STORY_PROJECTION, 'Cannot project Bogus', '00000000-0000-4000-8000-00000000b0b0');
    const status = await readProjectionStatus(dataSource);
    expect(status).toMatchObject({ status: 'failed', error: 'Cannot project Bogus', failedEventId: '00000000-0000-4000-8000-00000000b0b0' });
  });
});
