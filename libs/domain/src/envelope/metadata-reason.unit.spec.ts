import { everyCommandButOpenStory } from '../testing/story.test-data';
import type { StoryCommand } from '../story/story.commands';
import { reasonOf } from './metadata-reason';

describe('the reason recorded in event metadata', () => {
  it.each<[string, StoryCommand, string | undefined]>([
    ['a revision', { type: 'ReviseStory', data: { headline: 'H', reason: ' New facts. ' } }, 'New facts.'],
    ['a development retraction', { type: 'RetractDevelopment', data: { developmentId: 'd', reason: 'Unverified.' } }, 'Unverified.'],
    ['a claim retraction', { type: 'RetractClaim', data: { claimId: 'c', reason: 'Withdrawn.' } }, 'Withdrawn.'],
    ['a withdrawal', { type: 'WithdrawStory', data: { reason: 'Legal.' } }, 'Legal.'],
    ['a correction, whose reason is its public note', { type: 'IssueCorrection', data: { correctionId: 'x', target: { type: 'summary' }, note: 'We erred.' } }, 'We erred.'],
    ['a publication', { type: 'PublishStory', data: {} }, undefined],
    ['a blank reason', { type: 'WithdrawStory', data: { reason: '  ' } }, undefined],
  ])('for %s is %p', (_case, command, expected) => {
    expect(reasonOf(command)).toBe(expected);
  });

  it('is absent for commands that carry no reason', () => {
    const reasonless = everyCommandButOpenStory().filter((c) => c.type === 'LogDevelopment' || c.type === 'CiteSource');
    expect(reasonless.map(reasonOf)).toEqual([undefined, undefined]);
    expect(reasonOf({ type: 'OpenStory', data: { storyId: 's', headline: 'H', desk: 'world' } })).toBeUndefined();
  });
});
