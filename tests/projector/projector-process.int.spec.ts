import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { storyStreamId } from '@newsroom/domain';
import { type AppendResult, createPostgresEventStore, type EventStore } from '@newsroom/event-store';
import { createDataSource, loadCheckpoint, STORY_PROJECTION } from '@newsroom/read-models';
import { buildApps, type Build, type LogLine, NodeProcess } from '../support/projector-process';
import { eventually, projectFromScratch, readModelRows, waitForCheckpoint } from '../support/read-models';
import { StoryScript, StoryWriter } from '../support/story-log';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

jest.setTimeout(60_000);

let build: Build;
let db: TestDatabase;
let dataSource: DataSource;
let store: EventStore;
const processes: NodeProcess[] = [];

beforeAll(async () => {
  build = buildApps();
  db = await createTestDatabase();
  dataSource = await createDataSource({ url: db.url, poolSize: 3 }).initialize();
  store = createPostgresEventStore({ url: db.url, poolSize: 3 });
});
afterAll(async () => {
  for (const p of processes) p.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
  await store?.close();
  await dataSource?.destroy();
  await db?.drop();
  build?.remove();
});

function startProjector(): NodeProcess {
  const projector = new NodeProcess(build.entry('apps/projector/src/main'), { DATABASE_URL: db.url });
  processes.push(projector);
  return projector;
}

const leads = (line: LogLine): boolean => line.msg.startsWith('holding the projector lock');
const standsBy = (line: LogLine): boolean => line.msg.startsWith('another instance holds the lock');

async function writeSome(commands: number): Promise<AppendResult> {
  const script = new StoryScript();
  const writer = new StoryWriter(store, script.storyId);
  let last: AppendResult | null = null;
  for (let i = 0; i < commands; i += 1) last = await writer.write([script.next()]);
  if (!last) throw new Error('nothing written');
  return last;
}

const projectorConnections = async (): Promise<number> =>
  Number(
    (
      await dataSource.query<{ n: string }[]>(
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
    await waitForCheckpoint(dataSource, before.position);
    expect(second.lines.some(leads)).toBe(false);

    first.kill('SIGKILL');
    await first.exited;
    await second.waitForLog(leads);
    const after = await writeSome(12);
    await waitForCheckpoint(dataSource, after.position);

    await projectFromScratch(dataSource, store, 'read_model_reference', after.position);
    expect(await readModelRows(dataSource, 'read_model')).toEqual(await readModelRows(dataSource, 'read_model_reference'));
    await dataSource.query('DROP SCHEMA read_model_reference CASCADE');
  });

  it('exits at once, non-zero, when its lock connection drops', async () => {
    const leader = processes.find((p) => p.running && p.lines.some(leads));
    if (!leader) throw new Error('no leader running');
    await dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'newsroom-projector-lock'`);
    expect(await leader.exited).toEqual({ code: 3, signal: null });
    expect(leader.lines.some((l) => l.level === 'fatal' && l.msg.startsWith('lost the projector lock'))).toBe(true);
  });

  it('on SIGTERM, finishes its batch, closes its connections and exits 0', async () => {
    const projector = startProjector();
    await projector.waitForLog(leads);
    const written = await writeSome(6);
    await waitForCheckpoint(dataSource, written.position);
    projector.kill('SIGTERM');
    expect(await projector.exited).toEqual({ code: 0, signal: null });
    expect(projector.lines.at(-1)).toMatchObject({ level: 'info', service: 'projector', msg: 'stopped' });
    await eventually(async () => (await projectorConnections()) === 0, 'the projector connections to close');
    expect((await loadCheckpoint(dataSource, 'read_model', STORY_PROJECTION)).status).toBe('running');
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
    await new StoryWriter(store, script.storyId).write([script.next()]);
    const bogusId = randomUUID();
    await store.appendToStream(storyStreamId(script.storyId), [{ eventId: bogusId, type: 'Bogus', data: {}, metadata: { editorId: 'ed-1', recordedAt: new Date().toISOString() } }], {
      expectedRevision: 0n,
    });
    const failure = await projector.waitForLog((l) => l.level === 'error' && l.eventId === bogusId);
    expect(failure).toMatchObject({ service: 'projector', eventType: 'Bogus', projection: STORY_PROJECTION });
    await projector.waitForLog((l) => l.msg.startsWith('projection stopped; staying up'));
    expect((await loadCheckpoint(dataSource, 'read_model', STORY_PROJECTION)).failedEventId).toBe(bogusId);
    expect(projector.running).toBe(true);
    projector.kill('SIGTERM');
    expect(await projector.exited).toEqual({ code: 0, signal: null });
  });
});
