import { comparePositions, type Position } from '@newsroom/event-store';
import { type StorySnapshot } from '../story-snapshot';

/** A story's state as a batch committed it, and the length of its JSON, estimated (what the cache counts; see currentStates). */
export interface CommittedStory {
  readonly snapshot: StorySnapshot;
  readonly jsonLength: number;
}

/**
 * The live projector's memory of the stories it committed, so a batch need not read back (and
 * PostgreSQL need not detoast a keyframe, nor Node parse it and apply the patches after it) the
 * state it wrote itself.
 *
 * It is only ever trusted for the checkpoint it was filled at: the read models are a function of
 * the log up to the checkpoint (the rebuild comparison test holds the projection to that), so if
 * the checkpoint locked at the start of a batch is the one the cache remembers, every story it
 * holds is exactly what the read models hold, whoever wrote them. Anything else (a rebuild
 * swapped in at another position, another writer, a batch whose commit is in doubt) empties it,
 * and the batch reads from the table as before.
 *
 * Bounded by the total length of the snapshots' JSON (the objects take a few times that on the
 * heap); beyond it the least recently committed stories are forgotten and read again when needed.
 */
export class StoryStateCache {
  private readonly stories = new Map<string, CommittedStory>();
  private position: Position | null = null;
  private bytes = 0;

  constructor(private readonly maxJsonBytes: number) {
    if (!(Number.isSafeInteger(maxJsonBytes) && maxJsonBytes >= 0)) throw new RangeError(`maxJsonBytes must be a non-negative integer, got ${maxJsonBytes}`);
  }

  /** Called with the checkpoint locked in the batch's transaction: forgets everything unless it is the one remembered. */
  syncTo(checkpoint: Position): void {
    if (this.position !== null && comparePositions(this.position, checkpoint) === 0) return;
    this.clear();
  }

  /** The committed state of a story, or undefined when it is not known here (read it from the table). */
  get(storyId: string): CommittedStory | undefined {
    return this.stories.get(storyId);
  }

  /** After a commit (never before): the stories the batch wrote and the checkpoint it moved to. */
  remember(checkpoint: Position, committed: ReadonlyMap<string, CommittedStory>): void {
    for (const [storyId, story] of committed) {
      this.forget(storyId);
      if (story.jsonLength > this.maxJsonBytes) continue;
      this.stories.set(storyId, story);
      this.bytes += story.jsonLength;
    }
    // Map order is insertion order: the first entries are the least recently committed.
    for (const storyId of this.stories.keys()) {
      if (this.bytes <= this.maxJsonBytes) break;
      this.forget(storyId);
    }
    this.position = checkpoint;
  }

  clear(): void {
    this.stories.clear();
    this.bytes = 0;
    this.position = null;
  }

  get size(): number {
    return this.stories.size;
  }

  get jsonBytes(): number {
    return this.bytes;
  }

  private forget(storyId: string): void {
    const known = this.stories.get(storyId);
    if (!known) return;
    this.bytes -= known.jsonLength;
    this.stories.delete(storyId);
  }
}
