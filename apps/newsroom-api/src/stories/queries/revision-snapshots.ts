import { Injectable } from '@nestjs/common';
import { READ_MODEL_SCHEMA, snapshotsAt, type StorySnapshot } from '@newsroom/read-models';
import { JsonBody } from '../../shared/http/json-body';
import { RevisionCache, revisionKey } from './revision-cache';
import { StoryReader } from './story-reader';

/**
 * Stories rebuilt at past revisions (nearest keyframe plus patches), through the revision cache.
 * Callers ask only for revisions at or below a head they have read, so each one exists and its
 * rows never change: they are read in a statement of their own.
 */
@Injectable()
export class RevisionSnapshots {
  constructor(
    private readonly reader: StoryReader,
    private readonly cache: RevisionCache,
  ) {}

  /**
   * The story at `revision` as a JSON body: exactly `JSON.stringify` of the rebuilt snapshot.
   * `keep: false` when the caller caches something that contains it (a revision's detail), so the
   * same bytes are not held twice.
   */
  async json(storyId: string, revision: number, { keep = true }: { keep?: boolean } = {}): Promise<JsonBody> {
    const key = revisionKey(storyId, revision);
    const held = this.cache.get(key);
    if (held !== undefined) return held;
    const snapshot = (await snapshotsAt(this.reader.db, READ_MODEL_SCHEMA, storyId, [revision])).get(revision);
    if (!snapshot) throw missing(storyId, revision);
    const body = new JsonBody(JSON.stringify(snapshot));
    if (keep) this.cache.set(key, body);
    return body;
  }

  /** The story at each of `revisions`, as objects the caller owns, rebuilding the ones not held in one statement. */
  async objects(storyId: string, revisions: readonly number[]): Promise<Map<number, StorySnapshot>> {
    const found = new Map<number, StorySnapshot>();
    const toRebuild: number[] = [];
    for (const revision of revisions) {
      const held = this.cache.get(revisionKey(storyId, revision));
      if (held === undefined) toRebuild.push(revision);
      else found.set(revision, JSON.parse(held.text) as StorySnapshot);
    }
    if (toRebuild.length > 0) {
      const rebuilt = await snapshotsAt(this.reader.db, READ_MODEL_SCHEMA, storyId, toRebuild);
      for (const revision of toRebuild) {
        const snapshot = rebuilt.get(revision);
        if (!snapshot) throw missing(storyId, revision);
        found.set(revision, snapshot);
      }
    }
    return found;
  }
}

const missing = (storyId: string, revision: number): Error => new Error(`Story ${storyId}: revision ${revision} is at or below its head but cannot be rebuilt`);
