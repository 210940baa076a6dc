import { readModelRows, waitForCheckpoint } from '../support/read-models';
import { leadsTheProjectors, type NodeProcess, useProjectorHarness } from '../support/projector-process';
import { writeStories as writeTo } from '../support/story-log';

jest.setTimeout(60_000);

const harness = useProjectorHarness();
const start = (entry: 'main' | 'rebuild.main'): NodeProcess => harness.start(entry);
const writeStories = (stories: number, commands: number) => writeTo(harness.store, stories, commands);

const eventCount = async (): Promise<number> => Number((await harness.dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM event_store.events'))[0]?.n);

describe('the rebuild process, next to a running projector process', () => {
  let live: NodeProcess;
  let rebuild: NodeProcess;
  let before: Record<string, unknown[]>;
  let events: number;

  beforeAll(async () => {
    live = start('main');
    await live.waitForLog(leadsTheProjectors);
    const last = await writeStories(8, 30);
    await waitForCheckpoint(harness.dataSource, last.position);
    before = await readModelRows(harness.dataSource, 'read_model');
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
    expect(await readModelRows(harness.dataSource, 'read_model')).toEqual(before);
  });

  it('leaves the live projector projecting into the rebuilt tables', async () => {
    const last = await writeStories(1, 5);
    await waitForCheckpoint(harness.dataSource, last.position);
    const [row] = await harness.dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM read_model.stories');
    expect(row?.n).toBe('9');
    expect(live.running).toBe(true);
  });
});
