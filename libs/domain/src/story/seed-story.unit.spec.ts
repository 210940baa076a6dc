import { SEED_HEADLINE, SEED_IDS, seedStoryCommands } from '../../../../tests/fixtures/seed-story';
import { GENESIS_HASH, type SealedEvent, sealEvents, verifyChain } from '../envelope/event-envelope';
import { decide } from './story.decide';
import type { StoryEvent } from './story.events';
import { evolve, initialState, type StoryState } from './story.state';

/** Runs every seed command through decide and evolve, as the write path would. */
function replaySeed(): { state: StoryState; batches: StoryEvent[][] } {
  let state = initialState();
  const batches: StoryEvent[][] = [];
  for (const command of seedStoryCommands) {
    const events = decide(command, state);
    batches.push(events);
    state = events.reduce(evolve, state);
  }
  return { state, batches };
}

describe('the seed story, folded command by command', () => {
  const { state, batches } = replaySeed();
  const events = batches.flat();
  if (state.status === 'absent') throw new Error('the seed story was never opened');

  it('is an English draft on the world desk, slugged from its headline', () => {
    expect(state).toMatchObject({ status: 'draft', storyId: SEED_IDS.story, headline: SEED_HEADLINE, desk: 'world', language: 'en' });
    expect(state.slug).toBe('isis-leader-for-iraq-and-syria-killed-in-airstrike-by-iraqi-forces-and-us-led');
  });

  it('records the events each command implies, in order', () => {
    expect(events.map((e) => e.type)).toEqual([
      'StoryOpened',
      'SourceCited',
      'DevelopmentLogged',
      'ClaimReported',
      'ClaimReported',
      'DevelopmentLogged',
      'DevelopmentLogged',
      'ClaimConfirmed',
      'DevelopmentLogged',
      'DevelopmentLogged',
      'ClaimReported',
      'DevelopmentLogged',
    ]);
  });

  it('holds six standing developments of the expected kinds', () => {
    expect([...state.developments.values()].map((d) => [d.kind, d.retracted])).toEqual([
      ['report', false],
      ['report', false],
      ['confirmation', false],
      ['statement', false],
      ['visit', false],
      ['background', false],
    ]);
  });

  it('has the killing confirmed by the prime minister and the other claims still only reported', () => {
    expect(state.claims.get(SEED_IDS.claims.leaderKilled)?.status).toBe('confirmed');
    expect(state.claims.get(SEED_IDS.claims.jointOperation)?.status).toBe('reported');
    expect(state.claims.get(SEED_IDS.claims.operationsRoom)?.status).toBe('reported');
    const confirmation = events.find((e) => e.type === 'ClaimConfirmed');
    expect(confirmation?.data).toMatchObject({ developmentId: SEED_IDS.developments.primeMinisterConfirmation, attribution: { platform: 'X' } });
  });

  it('keeps the anonymous official’s reason and the approximate "Thursday night" timing', () => {
    const logged = events.find((e) => e.type === 'DevelopmentLogged' && e.data.developmentId === SEED_IDS.developments.securityOfficial);
    expect(logged?.data).toMatchObject({
      occurredAt: { precision: 'approximate', label: 'Thursday night' },
      attribution: { anonymous: true, anonymityReason: 'not authorised to speak about a sensitive operation' },
    });
  });

  it('cites its one source', () => {
    expect([...state.sources]).toEqual([SEED_IDS.source]);
  });

  it('seals into a hash chain that verifies, one append per command', () => {
    const stored: SealedEvent[] = [];
    for (const [i, batch] of batches.entries()) {
      stored.push(
        ...sealEvents({
          streamId: `story-${SEED_IDS.story}`,
          firstRevision: BigInt(stored.length),
          prevHash: stored.at(-1)?.metadata.hash ?? GENESIS_HASH,
          events: batch,
          eventIds: batch.map((_, j) => `seed-${i}-${j}`),
          metadata: { editorId: 'seed-editor', correlationId: `seed-${i}`, causationId: null, recordedAt: '2025-03-14T10:00:00.000Z' },
        }),
      );
    }
    const verification = verifyChain(`story-${SEED_IDS.story}`, stored.map((e, revision) => ({ ...e, revision: BigInt(revision) })));
    expect(verification).toMatchObject({ valid: true, revision: 11n });
  });
});
