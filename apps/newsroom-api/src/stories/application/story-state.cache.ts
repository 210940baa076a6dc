import { type StoryState } from '@newsroom/domain';

/** A story folded up to `revision` events, with the hash of its last event to chain the next one to. */
export interface FoldedStory {
  readonly state: StoryState;
  /** Number of events folded (the story's revision). */
  readonly revision: number;
  readonly lastHash: string;
}

/**
 * Folded stories by stream, least recently used evicted first. Streams are append-only, so a
 * cached fold stays a correct prefix forever: a load only reads the events after it, and the cost
 * of a write does not grow with the length of the story.
 */
export class StoryStateCache {
  private readonly entries = new Map<string, FoldedStory>();

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string): FoldedStory | undefined {
    const hit = this.entries.get(streamId);
    if (hit) {
      this.entries.delete(streamId);
      this.entries.set(streamId, hit);
    }
    return hit;
  }

  set(streamId: string, folded: FoldedStory): void {
    const current = this.entries.get(streamId);
    if (current && current.revision >= folded.revision) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, folded);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
