import { type Position } from '@newsroom/event-store';
import { type StorySnapshot } from '../story-snapshot';
import { type CommittedStory, StoryStateCache } from './story-state-cache';

const at = (n: number): Position => ({ commit: BigInt(n), prepare: BigInt(n) });
const story = (id: string, revision: number, jsonLength: number): [string, CommittedStory] => [id, { snapshot: { id, revision } as StorySnapshot, jsonLength }];

describe('StoryStateCache', () => {
  it('is trusted only at the checkpoint it was filled at', () => {
    const cache = new StoryStateCache(1_000);
    cache.remember(at(5), new Map([story('a', 2, 10)]));
    cache.syncTo(at(5));
    expect(cache.get('a')?.snapshot.revision).toBe(2);
    cache.syncTo(at(6));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.jsonBytes).toBe(0);
    // Empty and unpositioned: nothing to trust until the next commit.
    cache.remember(at(7), new Map([story('b', 1, 10)]));
    cache.syncTo(at(7));
    expect(cache.get('b')?.snapshot.revision).toBe(1);
  });

  it('stays within its byte budget by forgetting the least recently committed stories', () => {
    const cache = new StoryStateCache(100);
    cache.remember(at(1), new Map([story('a', 1, 40), story('b', 1, 40)]));
    cache.remember(at(2), new Map([story('a', 2, 40)]));
    cache.remember(at(3), new Map([story('c', 1, 40)]));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.snapshot.revision).toBe(2);
    expect(cache.get('c')?.snapshot.revision).toBe(1);
    expect(cache.jsonBytes).toBe(80);
    cache.remember(at(4), new Map([story('d', 1, 101)]));
    expect(cache.get('d')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('replaces a story’s state and counts its new length', () => {
    const cache = new StoryStateCache(1_000);
    cache.remember(at(1), new Map([story('a', 1, 40)]));
    cache.remember(at(2), new Map([story('a', 2, 70)]));
    expect(cache.get('a')?.snapshot.revision).toBe(2);
    expect(cache.jsonBytes).toBe(70);
  });
});
