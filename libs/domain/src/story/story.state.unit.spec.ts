import { fold, foldOpened } from '../testing/given-when-then';
import {
  CLAIM_ID,
  claimConfirmed,
  claimReported,
  claimRetracted,
  DEVELOPMENT_ID,
  developmentLogged,
  developmentRetracted,
  SOURCE_ID,
  sourceCited,
  storyOpened,
  storyPublished,
  storyWithdrawn,
} from '../testing/story.test-data';
import type { StoryEvent } from './story.events';
import { evolve, initialState } from './story.state';

describe('a story with no events', () => {
  it('is absent', () => {
    expect(initialState()).toEqual({ status: 'absent' });
  });

  it('cannot take any event but StoryOpened: the stream would be corrupt', () => {
    expect(() => evolve(initialState(), developmentLogged())).toThrow(/before StoryOpened/);
  });
});

describe('an opened story', () => {
  it('is a draft with the opening fields and empty collections', () => {
    const state = foldOpened(storyOpened({ summary: 'S.' }));
    expect(state).toMatchObject({ status: 'draft', storyId: storyOpened().data.storyId, headline: storyOpened().data.headline, summary: 'S.', desk: 'world', language: 'en' });
    expect([state.developments.size, state.claims.size, state.sources.size, state.corrections.size]).toEqual([0, 0, 0, 0]);
  });

  it('cannot be opened twice in one stream', () => {
    expect(() => fold(storyOpened(), storyOpened())).toThrow(/opened twice/);
  });

  it('moves from draft to published to withdrawn', () => {
    expect(foldOpened(storyOpened(), storyPublished()).status).toBe('published');
    expect(foldOpened(storyOpened(), storyPublished(), storyWithdrawn()).status).toBe('withdrawn');
  });
});

describe('a story with a claim that goes through its life', () => {
  it('tracks the claim from reported to confirmed to retracted', () => {
    const opened = [storyOpened(), developmentLogged(), claimReported()] as const;
    expect(foldOpened(...opened).claims.get(CLAIM_ID)?.status).toBe('reported');
    expect(foldOpened(...opened, claimConfirmed()).claims.get(CLAIM_ID)?.status).toBe('confirmed');
    expect(foldOpened(...opened, claimConfirmed(), claimRetracted()).claims.get(CLAIM_ID)).toEqual({
      status: 'retracted',
      developmentId: DEVELOPMENT_ID,
    });
  });

  it('leaves the state alone for an event about a claim it does not know', () => {
    const before = foldOpened(storyOpened());
    const after = evolve(before, claimConfirmed({ claimId: 'unknown' }));
    expect(after).toBe(before);
  });
});

describe('states already handed out', () => {
  it('do not change when later events are folded onto them', () => {
    const opened = foldOpened(storyOpened(), sourceCited(), developmentLogged());
    const retracted = evolve(opened, developmentRetracted());
    const more = evolve(retracted, developmentLogged({ developmentId: 'second' }));
    if (more.status === 'absent' || retracted.status === 'absent') throw new Error('unexpected absent state');

    expect(opened.developments.get(DEVELOPMENT_ID)?.retracted).toBe(false);
    expect(opened.developments.size).toBe(1);
    expect(retracted.developments.get(DEVELOPMENT_ID)?.retracted).toBe(true);
    expect(more.developments.size).toBe(2);
    expect([...opened.developments.keys()]).toEqual([DEVELOPMENT_ID]);
    expect(opened.sources.has(SOURCE_ID)).toBe(true);
  });

  it('can each be evolved separately into different futures', () => {
    const base = foldOpened(storyOpened(), developmentLogged(), claimReported());
    const confirmed = foldOpened(storyOpened(), developmentLogged(), claimReported(), claimConfirmed());
    const branchA = evolve(base, claimConfirmed());
    const branchB = evolve(base, claimRetracted());
    if (branchA.status === 'absent' || branchB.status === 'absent') throw new Error('unexpected absent state');
    expect(branchA.claims.get(CLAIM_ID)?.status).toBe('confirmed');
    expect(branchB.claims.get(CLAIM_ID)?.status).toBe('retracted');
    expect(base.claims.get(CLAIM_ID)?.status).toBe('reported');
    expect(confirmed.claims.get(CLAIM_ID)?.status).toBe('confirmed');
  });
});

describe('a story with 10,000 events', () => {
  it('folds every one of them', () => {
    // Correctness only; the persistent maps are what keep this linear.
    const events: StoryEvent[] = [storyOpened(), sourceCited()];
    for (let i = 0; events.length < 10_000; i += 1) {
      events.push(developmentLogged({ developmentId: `d${i}`, text: `Development ${i}` }));
      events.push(claimReported({ claimId: `c${i}`, developmentId: `d${i}`, text: `Claim ${i}` }));
      if (i % 2 === 0) events.push(claimConfirmed({ claimId: `c${i}` }));
      if (i % 10 === 0) events.push(developmentRetracted({ developmentId: `d${i}` }));
    }
    events.length = 10_000;

    const state = foldOpened(...events);
    const logged = events.filter((e) => e.type === 'DevelopmentLogged').length;
    const confirmed = new Set(events.flatMap((e) => (e.type === 'ClaimConfirmed' ? [e.data.claimId] : [])));
    const retracted = events.filter((e) => e.type === 'DevelopmentRetracted').length;

    expect(state.developments.size).toBe(logged);
    expect([...state.claims.values()].filter((c) => c.status === 'confirmed').length).toBe(confirmed.size);
    expect([...state.developments.values()].filter((d) => d.retracted).length).toBe(retracted);
    expect(state.developments.get('d1')).toEqual({ kind: 'report', retracted: false });
    expect(state.developments.get('d0')?.retracted).toBe(true);
  });
});
