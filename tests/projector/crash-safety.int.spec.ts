import { loadCheckpoint, STORY_PROJECTION } from '@newsroom/read-models';
import { leadsTheProjectors, type NodeProcess, rebuilding, useProjectorHarness } from '../support/projector-process';
import { projectFromScratch, readModelRows, rowCounts, waitForCheckpoint } from '../support/read-models';
import { BackgroundWriter } from '../support/story-log';

/**
 * The real projector and rebuild processes, killed with SIGKILL at random moments while editors
 * keep appending. Whatever the moment (mid-batch, mid-replay, inside the swap, between the swap
 * and the drop), the read models must end up exactly what a clean projection of the log gives.
 */
jest.setTimeout(120_000);

const PROJECTOR_KILLS = 12;
const REBUILD_KILLS = 10;

const harness = useProjectorHarness();
const start = (entry: 'main' | 'rebuild.main'): NodeProcess => harness.start(entry);
const leads = leadsTheProjectors;

const randomMs = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min));
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGKILLs the process if it is still running; true when the kill is what ended it. */
async function killNow(p: NodeProcess): Promise<boolean> {
  const wasRunning = p.running;
  p.kill('SIGKILL');
  const { signal } = await p.exited;
  return wasRunning && signal === 'SIGKILL';
}

describe('SIGKILL at random moments', () => {
  it('never loses, doubles or corrupts a projected event: the result equals a clean projection', async () => {
    const writer = new BackgroundWriter(harness.store, 20, 20);
    writer.start();

    // The projector, killed mid-work again and again (each run picks up from its checkpoint).
    let projectorKills = 0;
    while (projectorKills < PROJECTOR_KILLS) {
      const projector = start('main');
      await projector.waitForLog(leads);
      await pause(randomMs(20, 400));
      if (await killNow(projector)) projectorKills += 1;
    }

    // Rebuilds, killed at random points of their run, while a live projector keeps projecting.
    const live = start('main');
    await live.waitForLog(leads);
    const timed = start('rebuild.main');
    await timed.waitForLog(rebuilding);
    const startedAt = Date.now();
    expect(await timed.exited).toEqual({ code: 0, signal: null });
    const rebuildMs = Date.now() - startedAt;
    let rebuildKills = 0;
    for (let attempt = 0; rebuildKills < REBUILD_KILLS && attempt < REBUILD_KILLS * 3; attempt += 1) {
      const rebuild = start('rebuild.main');
      await rebuild.waitForLog(rebuilding);
      await pause(randomMs(0, rebuildMs));
      if (await killNow(rebuild)) rebuildKills += 1;
    }
    expect(rebuildKills).toBe(REBUILD_KILLS);
    expect(live.running).toBe(true);

    // One last rebuild runs to the end (and clears whatever the killed ones left), then the
    // writer stops and the live projector catches up.
    const final = start('rebuild.main');
    expect(await final.exited).toEqual({ code: 0, signal: null });
    expect(final.stderr).toMatch(/Rebuilt the read models from [\d,]+ events/);
    const last = await writer.stop();
    await waitForCheckpoint(harness.dataSource, last.position, 'read_model', 30_000);

    await projectFromScratch(harness.dataSource, harness.store, 'read_model_clean', last.position);
    const [projected, clean] = [await readModelRows(harness.dataSource, 'read_model'), await readModelRows(harness.dataSource, 'read_model_clean')];
    expect(rowCounts(projected).story_revisions).toBeGreaterThan(500);
    expect(projected).toEqual(clean);
    expect((await loadCheckpoint(harness.dataSource, 'read_model', STORY_PROJECTION)).status).toBe('running');
    const schemas = await harness.dataSource.query<{ name: string }[]>(`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'read_model%' ORDER BY 1`);
    expect(schemas.map((s) => s.name)).toEqual(['read_model', 'read_model_clean']);
    expect(live.running).toBe(true);
  });
});
