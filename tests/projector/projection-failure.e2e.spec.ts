import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { storyStreamId } from '@newsroom/domain';
import { createDataSource, loadCheckpoint, Projector, STORY_PROJECTION } from '@newsroom/read-models';
import { waitForCheckpoint } from '../support/read-models';
import { logDevelopment, openStory } from '../support/story-requests';
import { startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(30_000);

let t: TestApp;
let dataSource: DataSource;

beforeAll(async () => {
  t = await startTestApp();
  dataSource = await createDataSource({ url: t.db.url, poolSize: 2 }).initialize();
});
afterAll(async () => {
  await dataSource.destroy();
  await t.close();
});

/** One sample of a metric from the Prometheus text format. */
const sample = (metrics: string, name: string): number | undefined => {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}{projection="${STORY_PROJECTION}"}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
};

describe('the projection as /health/ready and /metrics see it', () => {
  let story: { id: string; revision: number };

  it('reports the lag of a projection not started yet, and stays ready', async () => {
    story = await openStory(t);
    const res = await t.http().get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.checks.projections).toMatchObject({ status: 'up', projection: STORY_PROJECTION, state: 'not_started', eventsBehind: 1 });
    expect(res.body.checks.projections.secondsBehind).toBeGreaterThan(0);

    const metrics = await t.http().get('/metrics');
    expect(sample(metrics.text, 'newsroom_projection_lag_events')).toBe(1);
    expect(sample(metrics.text, 'newsroom_projection_failed')).toBe(0);
    expect(sample(metrics.text, 'newsroom_projection_lag_seconds')).toBeGreaterThan(0);
  });

  describe('when the log holds an event the projection cannot handle', () => {
    let bogusId: string;

    beforeAll(async () => {
      const logged = await logDevelopment(t, story.id, story.revision);
      bogusId = randomUUID();
      await t.store.appendToStream(
        storyStreamId(story.id),
        [{ eventId: bogusId, type: 'Bogus', data: { weird: true }, metadata: { editorId: 'ed-amira', recordedAt: new Date().toISOString() } }],
        { expectedRevision: BigInt(logged.revision - 1) },
      );
      // A valid write after it (another story: the API cannot fold a Bogus event either). It must
      // wait behind the failure, never be projected past it.
      await openStory(t);
      const outcome = await new Projector({ dataSource, store: t.store }).run();
      expect(outcome).toMatchObject({ kind: 'failed', eventId: bogusId });
    });

    it('has the checkpoint stopped in front of it', async () => {
      const events = await t.store.readStream(storyStreamId(story.id));
      const bogusAt = events.findIndex((e) => e.eventId === bogusId);
      const before = events[bogusAt - 1];
      if (!before) throw new Error('no event before the bogus one');
      await waitForCheckpoint(dataSource, before.position);
      expect(await loadCheckpoint(dataSource, 'read_model', STORY_PROJECTION)).toMatchObject({ status: 'failed', failedEventId: bogusId, position: before.position });
    });

    it('makes /health/ready answer 503 naming the projection, the event and the error, with the lag', async () => {
      const res = await t.http().get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.body.status).toBe('unavailable');
      expect(res.body.checks.database).toEqual({ status: 'up' });
      const projections = res.body.checks.projections;
      expect(projections).toMatchObject({ status: 'down', state: 'failed', failedEventId: bogusId });
      expect(projections.error).toContain(`projection ${STORY_PROJECTION} failed on event ${bogusId}`);
      expect(projections.error).toContain('Bogus');
      // The bogus event and the story opened after it are behind.
      expect(projections.eventsBehind).toBe(2);
    });

    it('sets newsroom_projection_failed to 1 and reports the events stuck behind it', async () => {
      const res = await t.http().get('/metrics');
      expect(res.status).toBe(200);
      expect(sample(res.text, 'newsroom_projection_failed')).toBe(1);
      expect(sample(res.text, 'newsroom_projection_lag_events')).toBe(2);
    });
  });
});
