import { type OpenedStory, storyStateFromJson, storyStateToJson } from '@newsroom/domain';
import { snapshotDue, StoryFoldSnapshots } from './story-fold-snapshots';

describe('snapshotDue', () => {
  it.each([
    [999, 1_000, true],
    [1_000, 1_001, false],
    [995, 1_010, true],
    [1_999, 2_000, true],
    [9_999, 10_000, true],
    [10_999, 11_000, true],
    [19_998, 19_999, false],
    // From 20,000 events the points are 2,000 apart, from 40,000 4,000 apart, from 80,000 8,000 apart.
    [19_999, 20_000, true],
    [20_999, 21_000, false],
    [21_999, 22_000, true],
    [39_999, 40_000, true],
    [41_999, 42_000, false],
    [95_999, 96_000, true],
    [99_999, 100_000, false],
    [103_999, 104_000, true],
    [0, 5, false],
  ])('from revision %i to %i: %s', (before, after, due) => {
    expect(snapshotDue(before, after, 1_000)).toBe(due);
  });

  /** What snapshots cost per event for a story written one event at a time: entries serialised (a snapshot holds about as many as the story has events). */
  const entriesPerEvent = (length: number, every: number): number => {
    let serialised = 0;
    for (let revision = 1; revision <= length; revision += 1) if (snapshotDue(revision - 1, revision, every)) serialised += revision;
    return serialised / length;
  };

  it('keeps the snapshots’ cost per event flat as a story grows', () => {
    const costs = [10_000, 100_000, 1_000_000].map((length) => entriesPerEvent(length, 1_000));
    // With a point every 1,000 events this would be 5, 50 and 500 entries per event.
    expect(costs[0]).toBeCloseTo(5.5, 1);
    for (const cost of costs) expect(cost).toBeLessThan(20);
  });

  it('leaves a fresh process at most 1,000 events, or a tenth of a longer story, to read after its snapshot', () => {
    let last = 0;
    let points = 0;
    for (let revision = 1; revision <= 300_000; revision += 1) {
      if (!snapshotDue(revision - 1, revision, 1_000)) continue;
      // Until this point the newest snapshot was at `last`.
      expect(revision - last).toBeLessThanOrEqual(Math.max(1_000, revision / 10));
      last = revision;
      points += 1;
    }
    expect(points).toBeGreaterThan(40);
    expect(300_000 - last).toBeLessThanOrEqual(30_000);
  });
});

describe('StoryFoldSnapshots saving a long story', () => {
  const longStory = (developments: number): OpenedStory => {
    const state = storyStateFromJson({
      status: 'draft',
      storyId: 's',
      slug: 's',
      headline: 'A long story',
      desk: 'world',
      language: 'en',
      developments: Array.from({ length: developments }, (_, i) => [`d${i}`, 'report', i % 7 === 0]),
      claims: Array.from({ length: developments / 2 }, (_, i) => [`c${i}`, 'reported', `d${i}`]),
      sources: ['s1'],
      corrections: [],
    });
    if (!state) throw new Error('test state did not read back');
    return state;
  };

  it('writes the same JSON as storyStateToJson, serialised over several event-loop turns', async () => {
    const state = longStory(10_000);
    const written: unknown[][] = [];
    let turnsBeforeWrite = -1;
    let turns = 0;
    const db = {
      query: (_sql: string, parameters?: unknown[]): Promise<unknown> => {
        written.push(parameters ?? []);
        turnsBeforeWrite = turns;
        return Promise.resolve([]);
      },
    };
    const snapshots = new StoryFoldSnapshots(db, { warn: () => undefined }, 1_000);
    // Count the turns the event loop takes until the row is written.
    const tick = (): void => {
      turns += 1;
      if (turnsBeforeWrite < 0) setImmediate(tick);
    };
    setImmediate(tick);
    snapshots.offer('story-s', 9_999, { state, revision: 10_000, lastHash: 'h' });
    await snapshots.settled();
    expect(written).toHaveLength(1);
    expect(written[0]?.[4]).toBe(JSON.stringify(storyStateToJson(state)));
    // 15,001 entries at 2,000 per turn: other work ran in between.
    expect(turnsBeforeWrite).toBeGreaterThanOrEqual(8);
  });

  it('takes no snapshot between points', async () => {
    const db = { query: jest.fn(() => Promise.resolve([])) };
    const snapshots = new StoryFoldSnapshots(db, { warn: () => undefined }, 1_000);
    snapshots.offer('story-s', 10_000, { state: longStory(10), revision: 10_999, lastHash: 'h' });
    await snapshots.settled();
    expect(db.query).not.toHaveBeenCalled();
  });
});
