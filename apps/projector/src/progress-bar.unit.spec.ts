import { renderProgress, renderSummary } from './progress-bar';

describe('the rebuild progress line', () => {
  it('shows the share done as a bar, the counts and the rate', () => {
    expect(renderProgress({ phase: 'replay', done: 2_500, total: 10_000 }, 2_000, 8)).toBe('[##------] 2,500 / 10,000 events  1,250 events/s  replay');
  });

  it('stays a full bar when events keep arriving past the starting total', () => {
    expect(renderProgress({ phase: 'swap', done: 10_040, total: 10_000 }, 1_000, 4)).toBe('[####] 10,040 / 10,000 events  10,040 events/s  swap');
  });

  it('treats an empty log as done', () => {
    expect(renderProgress({ phase: 'replay', done: 0, total: 0 }, 0, 4)).toBe('[####] 0 / 0 events  0 events/s  replay');
  });

  it('ends with the final count', () => {
    expect(renderSummary({ events: 12_345, eventsInSwap: 7, checkpoint: { commit: 1n, prepare: 2n }, retiredSchema: 'read_model_old_1', ms: 4_210 })).toBe(
      'Rebuilt the read models from 12,345 events (7 caught up during the swap) in 4.2 s.',
    );
  });
});
