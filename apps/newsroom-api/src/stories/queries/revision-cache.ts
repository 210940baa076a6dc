import { Inject, Injectable } from '@nestjs/common';
import { type NewsroomConfig } from '../../config/newsroom-config';
import { type JsonBody } from '../../shared/http/json-body';
import { NEWSROOM_CONFIG } from '../../infrastructure/tokens';

/** What one entry costs besides its body: the key, the map slot, the objects' headers. */
const ENTRY_OVERHEAD_BYTES = 200;

/**
 * The JSON bodies of things that never change once projected, least recently used first out:
 * a story's snapshot rebuilt at revision n (whether asked for as that revision, through `asOf` or
 * as the current story), a revision's detail, and the diff between two revisions. A revision is a
 * pure function of the events up to it and events are never rewritten, so nothing here is ever
 * stale; a story that moves on simply asks for another key.
 *
 * Entries are JsonBody values, not objects: sent as they are (no serialising, encoding or
 * compressing per request), immutable, and of known size (their UTF-8 bytes, plus a reserve for
 * the gzip form they make on first demand). Bounded by `REVISION_CACHE_MB`; 0 keeps nothing.
 *
 * One caveat: a rebuild with projection code that changes what a revision looks like leaves the
 * old text here until the API restarts (deploying that code restarts it).
 */
@Injectable()
export class RevisionCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly maxBytes: number;

  constructor(@Inject(NEWSROOM_CONFIG) config: Pick<NewsroomConfig, 'revisionCacheBytes'>) {
    this.maxBytes = config.revisionCacheBytes;
  }

  /** The body under `key`, if held (and it becomes the most recently used). */
  get(key: string): JsonBody | undefined {
    return this.touch(key)?.body;
  }

  set(key: string, body: JsonBody): void {
    const size = ENTRY_OVERHEAD_BYTES + key.length + body.budgetBytes;
    if (size > this.maxBytes) return;
    this.remove(key);
    this.entries.set(key, { body, size });
    this.bytes += size;
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
  }

  /** Bytes held (an estimate of the heap they take) and entries. */
  stats(): { readonly bytes: number; readonly entries: number } {
    return { bytes: this.bytes, entries: this.entries.size };
  }

  private touch(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // A Map keeps insertion order: moving the entry to the end leaves the least recently used first.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.size;
  }
}

interface Entry {
  readonly body: JsonBody;
  readonly size: number;
}

/** Keys, one namespace per kind of text. A story at revision n, whether asked for as that revision, through `asOf` or as the current story. */
export const revisionKey = (storyId: string, revision: number): string => `r:${storyId}:${revision}`;
/** A revision's detail (who, when, why, what changed) with the story at that revision. */
export const detailKey = (storyId: string, revision: number): string => `v:${storyId}:${revision}`;
export const diffKey = (storyId: string, from: number, to: number): string => `d:${storyId}:${from}:${to}`;
