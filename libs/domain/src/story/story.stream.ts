/** One stream per story. The prefix lets a subscription or projection select story streams only. */
export const STORY_STREAM_PREFIX = 'story-';

export function storyStreamId(storyId: string): string {
  return `${STORY_STREAM_PREFIX}${storyId}`;
}
