import { type DataSource } from 'typeorm';
import { type AppendResult, createPostgresEventStore, type EventStore } from '@newsroom/event-store';
import { createDataSource } from '@newsroom/read-models';
import { buildApps, type Build, type LogLine, NodeProcess } from '../support/projector-process';
import { readModelRows, waitForCheckpoint } from '../support/read-models';
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

function start(entry: 'main' | 'rebuild.main'): NodeProcess {
  const started = new NodeProcess(build.entry(`apps/projector/src/${entry}`), { DATABASE_URL: db.url });
  processes.push(started);
  return started;
}

async function writeStories(stories: number, commands: number): Promise<AppendResult> {
  let last: AppendResult | null = null;
  for (let s = 0; s < stories; s += 1) {
    const script = new StoryScript();
    const writer = new StoryWriter(store, script.storyId);
    for (let c = 0; c < commands; c += 1) last = await writer.write([script.next()]);
  }
  if (!last) throw new Error('nothing written');
  return last;
}

const eventCount = async (): Promise<number> => Number((await dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM event_store.events'))[0]?.n);

describe('the rebuild process, next to a running projector process', () => {
  let live: NodeProcess;
  let rebuild: NodeProcess;
  let before: Record<string, unknown[]>;
  let events: number;

  beforeAll(async () => {
    live = start('main');
    await live.waitForLog((l: LogLine) => l.msg.startsWith('holding the projector lock'));
    const last = await writeStories(8, 30);
    await waitForCheckpoint(dataSource, last.position);
    before = await readModelRows(dataSource, 'read_model');
    events = await eventCount();
    rebuild = start('rebuild.main');
    expect(await rebuild.exited).toEqual({ code: 0, signal: null });
  });

  it('draws its progress on stderr and ends with the final count', () => {
    const count = events.toLocaleString('en-US');
    expect(rebuild.stderr).toContain(`] ${count} / ${count} events`);
    expect(rebuild.stderr).toMatch(new RegExp(`Rebuilt the read models from ${count} events \\(0 caught up during the swap\\) in [\\d.]+ s\\.\\n$`));
    expect(rebuild.lines.at(-1)).toMatchObject({ level: 'info', service: 'projector-rebuild', msg: 'rebuilt', events });
  });

  it('swaps in read models identical, row for row, to what the live projector had produced', async () => {
    expect(await readModelRows(dataSource, 'read_model')).toEqual(before);
  });

  it('leaves the live projector projecting into the rebuilt tables', async () => {
    const last = await writeStories(1, 5);
    await waitForCheckpoint(dataSource, last.position);
    const [row] = await dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM read_model.stories');
    expect(row?.n).toBe('9');
    expect(live.running).toBe(true);
  });
});
