import { randomUUID } from 'node:crypto';
import { storyStreamId } from '@newsroom/domain';
import { loadCheckpoint, STORY_PROJECTION } from '@newsroom/read-models';
import { leadsTheProjectors as leads, standsBy, useProjectorHarness } from '../support/projector-process';
import { eventually, projectFromScratch, readModelRows, waitForCheckpoint } from '../support/read-models';
import { StoryScript, StoryWriter, writeStories } from '../support/story-log';

jest.setTimeout(60_000);

const harness = useProjectorHarness();
const startProjector = () => harness.start('main');
const writeSome = (commands: number) => writeStories(harness.store, 1, commands);

const projectorConnections = async (): Promise<number> =>
  Number(
    (
      await harness.dataSource.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'newsroom-projector%'`,
      )
    )[0]?.n,
  );

describe('projector processes', () => {
  it('project as one leader; a second waits as a hot standby and takes over when the leader is killed', async () => {
    const first = startProjector();
    await first.waitForLog(leads);
    const second = startProjector();
    await second.waitForLog(standsBy);

    const before = await writeSome(12);
    await waitForCheckpoint(harness.dataSource, before.position);
    expect(second.lines.some(leads)).toBe(false);

    first.kill('SIGKILL');
    await first.exited;
    await second.waitForLog(leads);
    const after = await writeSome(12);
    await waitForCheckpoint(harness.dataSource, after.position);

    await projectFromScratch(harness.dataSource, harness.store, 'read_model_reference', after.position);
    expect(await readModelRows(harness.dataSource, 'read_model')).toEqual(await readModelRows(harness.dataSource, 'read_model_reference'));
    await harness.dataSource.query('DROP SCHEMA read_model_reference CASCADE');
  });

  it('exits at once, non-zero, when its lock connection drops', async () => {
    const leader = harness.processes.find((p) => p.running && p.lines.some(leads));
    if (!leader) throw new Error('no leader running');
    await harness.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'newsroom-projector-lock'`);
    expect(await leader.exited).toEqual({ code: 3, signal: null });
    expect(leader.lines.some((l) => l.level === 'fatal' && l.msg.startsWith('lost the projector lock'))).toBe(true);
  });

  it('on SIGTERM, finishes its batch, closes its connections and exits 0', async () => {
    const projector = startProjector();
    await projector.waitForLog(leads);
    const written = await writeSome(6);
    await waitForCheckpoint(harness.dataSource, written.position);
    projector.kill('SIGTERM');
    expect(await projector.exited).toEqual({ code: 0, signal: null });
    expect(projector.lines.at(-1)).toMatchObject({ level: 'info', service: 'projector', msg: 'stopped' });
    await eventually(async () => (await projectorConnections()) === 0, 'the projector connections to close');
    expect((await loadCheckpoint(harness.dataSource, 'read_model', STORY_PROJECTION)).status).toBe('running');
  });

  it('exits 0, not as a lost leader, when its lock connection drops after SIGTERM (PostgreSQL stopping beside it)', async () => {
    const projector = startProjector();
    await projector.waitForLog(leads);
    // Hold the projector's next batch at its first write, so it is still stopping when the lock goes.
    const blocker = harness.dataSource.createQueryRunner();
    await blocker.connect();
    try {
      await blocker.startTransaction();
      // SHARE, not ACCESS EXCLUSIVE: that one takes a transaction id, which would hold the subscription's horizon back.
      await blocker.query('LOCK TABLE read_model.stories IN SHARE MODE');
      await writeSome(2);
      await eventually(
        async () =>
          Number(
            (
              await harness.dataSource.query<{ n: string }[]>(
                `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'newsroom-projector' AND wait_event_type = 'Lock'`,
              )
            )[0]?.n,
          ) > 0,
        'the projector to wait for the blocked table',
      );
      projector.kill('SIGTERM');
      await projector.waitForLog((l) => l.msg.startsWith('stopping'));
      await harness.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'newsroom-projector-lock'`);
      expect(await projector.exited).toEqual({ code: 0, signal: null });
      expect(projector.lines.some((l) => l.level === 'fatal')).toBe(false);
      expect(projector.lines.at(-1)).toMatchObject({ level: 'info', msg: 'stopped: the projector lock went away while stopping' });
    } finally {
      await blocker.rollbackTransaction();
      await blocker.release();
    }
  });

  it('on SIGTERM while standing by, exits 0 without ever projecting', async () => {
    const leader = startProjector();
    await leader.waitForLog(leads);
    const standby = startProjector();
    await standby.waitForLog(standsBy);
    standby.kill('SIGTERM');
    expect(await standby.exited).toEqual({ code: 0, signal: null });
    expect(standby.lines.some(leads)).toBe(false);
    leader.kill('SIGTERM');
    expect(await leader.exited).toEqual({ code: 0, signal: null });
  });

  // Last: it leaves an unprojectable event in this database's log.
  it('stays up after a projection failure, logging it at level error, and stops cleanly on SIGTERM', async () => {
    const projector = startProjector();
    await projector.waitForLog(leads);
    const script = new StoryScript();
    await new StoryWriter(harness.store, script.storyId).write([script.next()]);
    const bogusId = randomUUID();
    await harness.store.appendToStream(storyStreamId(script.storyId), [{ eventId: bogusId, type: 'Bogus', data: {}, metadata: { editorId: 'ed-1', recordedAt: new Date().toISOString() } }], {
      expectedRevision: 0n,
    });
    const failure = await projector.waitForLog((l) => l.level === 'error' && l.eventId === bogusId);
    expect(failure).toMatchObject({ service: 'projector', eventType: 'Bogus', projection: STORY_PROJECTION });
    await projector.waitForLog((l) => l.msg.startsWith('projection stopped; staying up'));
    expect((await loadCheckpoint(harness.dataSource, 'read_model', STORY_PROJECTION)).failedEventId).toBe(bogusId);
    expect(projector.running).toBe(true);
    projector.kill('SIGTERM');
    expect(await projector.exited).toEqual({ code: 0, signal: null });
  });
});
