import { decide, evolve, initialState, type StoryCommand, type StoryEvent, type StoryState } from '@newsroom/domain';
import { applyToSnapshot, SnapshotProjectionError } from './apply-event';
import { describeChanges, summarizeEvent } from './describe-changes';
import type { StorySnapshot } from './story-snapshot';

const STORY = '6f1c1a52-0000-4000-8000-000000000001';
const DEV = '6f1c1a52-0000-4000-8000-0000000000d1';
const DEV2 = '6f1c1a52-0000-4000-8000-0000000000d2';
const CLAIM = '6f1c1a52-0000-4000-8000-0000000000c1';
const SOURCE = '6f1c1a52-0000-4000-8000-0000000000a1';

interface Step {
  readonly event: StoryEvent;
  readonly snapshot: StorySnapshot;
}

/** Runs commands through the real decider and folds every event into snapshots, like the projector. */
function play(commands: readonly StoryCommand[]): Step[] {
  let state: StoryState = initialState();
  let snapshot: StorySnapshot | null = null;
  const steps: Step[] = [];
  for (const command of commands) {
    for (const event of decide(command, state)) {
      state = evolve(state, event);
      const revision: number = steps.length + 1;
      snapshot = applyToSnapshot(snapshot, event, { revision, recordedAt: `2025-03-14T0${Math.min(revision, 9)}:00:00.000Z`, editorId: 'ed-1', reason: null });
      steps.push({ event, snapshot });
    }
  }
  return steps;
}

const open: StoryCommand = { type: 'OpenStory', data: { storyId: STORY, headline: 'ISIS leader reported killed', desk: 'world' } };
const report: StoryCommand = {
  type: 'LogDevelopment',
  data: {
    developmentId: DEV,
    kind: 'report',
    text: 'A strike in Anbar killed the ISIS leader.',
    occurredAt: { at: '2025-03-13T21:00:00Z', precision: 'approximate', label: 'Thursday night' },
    attribution: { role: 'security official', anonymous: true, anonymityReason: 'sensitive operation' },
    claims: [{ claimId: CLAIM, text: 'The ISIS leader was killed' }],
  },
};
const confirm: StoryCommand = {
  type: 'LogDevelopment',
  data: { developmentId: DEV2, kind: 'confirmation', text: 'The prime minister confirmed it on X.', attribution: { name: 'al-Sudani', platform: 'X', anonymous: false }, confirms: [CLAIM] },
};

describe('a story opened, reported and confirmed', () => {
  const steps = play([open, report, confirm]);
  const last = steps.at(-1)?.snapshot as StorySnapshot;

  it('has one snapshot per event, numbered by revision', () => {
    expect(steps.map((s) => [s.event.type, s.snapshot.revision])).toEqual([
      ['StoryOpened', 1],
      ['DevelopmentLogged', 2],
      ['ClaimReported', 3],
      ['DevelopmentLogged', 4],
      ['ClaimConfirmed', 5],
    ]);
  });

  it('keeps valid time beside recorded time, and the anonymous attribution with its reason', () => {
    expect(last.developments[0]).toMatchObject({
      occurredAt: '2025-03-13T21:00:00Z',
      occurredAtPrecision: 'approximate',
      occurredAtLabel: 'Thursday night',
      recordedAt: '2025-03-14T02:00:00.000Z',
      attribution: { anonymous: true, anonymityReason: 'sensitive operation' },
    });
  });

  it('records the claim history with the development that moved it', () => {
    expect(last.claims[0]?.status).toBe('confirmed');
    expect(last.claims[0]?.history.map((h) => [h.status, h.developmentId, h.revision])).toEqual([
      ['reported', DEV, 3],
      ['confirmed', DEV2, 5],
    ]);
  });

  it('describes the confirmation as a claim moving from reported to confirmed', () => {
    const before = steps[3]?.snapshot as StorySnapshot;
    expect(describeChanges(before, last)).toEqual(['claim "The ISIS leader was killed" reported -> confirmed']);
    expect(summarizeEvent(steps[4]?.event as StoryEvent, before, last, 'ed-1')).toBe(
      'ed-1 moved the claim "The ISIS leader was killed" from reported to confirmed.',
    );
  });

  it('describes non-adjacent revisions too', () => {
    expect(describeChanges(steps[0]?.snapshot as StorySnapshot, last)).toEqual([
      'development added (report): "A strike in Anbar killed the ISIS leader."',
      'development added (confirmation): "The prime minister confirmed it on X."',
      'claim "The ISIS leader was killed" reported -> confirmed',
    ]);
  });
});

describe('a corrected, retracted, revised and published story', () => {
  const steps = play([
    open,
    report,
    { type: 'CiteSource', data: { sourceId: SOURCE, url: 'https://example.org/a', publisher: 'Example Times' } },
    { type: 'IssueCorrection', data: { correctionId: 'c0rr-1', target: { type: 'development', id: DEV }, correctedText: 'A strike in Anbar province killed the ISIS leader.', note: 'We named the province.' } },
    { type: 'ReviseStory', data: { headline: 'Iraq confirms ISIS leader killed', reason: 'confirmed' } },
    { type: 'RetractClaim', data: { claimId: CLAIM, reason: 'unverified' } },
    { type: 'PublishStory', data: {} },
  ]);
  const last = steps.at(-1)?.snapshot as StorySnapshot;

  it('shows the corrected text beside the original and the public note', () => {
    expect(last.developments[0]).toMatchObject({
      text: 'A strike in Anbar province killed the ISIS leader.',
      originalText: 'A strike in Anbar killed the ISIS leader.',
      corrections: [{ note: 'We named the province.', kind: 'correction' }],
    });
    expect(last.corrections).toEqual([expect.objectContaining({ target: { type: 'development', id: DEV }, note: 'We named the province.' })]);
  });

  it('ends published with the revised headline, the source and the retracted claim', () => {
    expect(last).toMatchObject({ status: 'published', headline: 'Iraq confirms ISIS leader killed', sources: [{ id: SOURCE, publisher: 'Example Times' }] });
    expect(last.claims[0]?.status).toBe('retracted');
    expect(last.publishedAt).toBe(last.updatedAt);
  });

  it('lists the headline change in the human diff', () => {
    const changes = describeChanges(steps[0]?.snapshot as StorySnapshot, last);
    expect(changes).toContain('headline "ISIS leader reported killed" -> "Iraq confirms ISIS leader killed"');
    expect(changes).toContain('status draft -> published');
    expect(changes).toContain('source cited: Example Times');
  });
});

describe('events out of order', () => {
  it('are refused loudly rather than folded into a wrong snapshot', () => {
    const [opened, logged] = play([open, report]);
    expect(() => applyToSnapshot(opened?.snapshot as StorySnapshot, logged?.event as StoryEvent, { revision: 5, recordedAt: 'x', editorId: 'e', reason: null })).toThrow(
      SnapshotProjectionError,
    );
    expect(() => applyToSnapshot(null, logged?.event as StoryEvent, { revision: 2, recordedAt: 'x', editorId: 'e', reason: null })).toThrow(/before StoryOpened/);
  });
});
