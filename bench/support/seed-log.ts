import { randomUUID } from 'node:crypto';
import { type EventStore } from '@newsroom/event-store';
import { now, perSecond } from './latency';
import { isInterrupted } from './lifecycle';
import { ScriptedStory, seededRandom } from './story-script';

export interface SeedPlan {
  readonly events: number;
  readonly stories: number;
  /** Concurrent appenders, each with its own share of the active stories. */
  readonly writers: number;
  /**
   * Stories being written at any one time, across all writers: how much the global log
   * interleaves. A newsroom has dozens of live stories, not one and not ten thousand.
   */
  readonly activeStories: number;
  /** Whole commands are appended together until a chunk holds at least this many events. */
  readonly eventsPerAppend: number;
  /** Seeds the shape of every story (the ids are random UUIDs all the same). */
  readonly seed: number;
}

export interface SeedResult {
  readonly events: number;
  readonly stories: number;
  readonly appends: number;
  readonly ms: number;
  readonly eventsPerSecond: number;
  /** Events by type. */
  readonly mix: Readonly<Record<string, number>>;
}

/** How the seeded stories' own clocks are laid out: opened one after another over the past year. */
const SPAN_MS = 365 * 24 * 3_600_000;

/**
 * Writes `plan.events` events over `plan.stories` stories through the event store, as the API
 * would (decide, seal into the hash chain, append with the exact expected revision), in
 * multi-event appends from several concurrent writers. Each story gets the same number of events,
 * give or take one. The log interleaves `activeStories` stories at a time, in chunks.
 */
export async function seedLog(store: EventStore, plan: SeedPlan, log: (line: string) => void = () => undefined): Promise<SeedResult> {
  if (plan.stories > plan.events) throw new RangeError(`${plan.stories} stories need at least as many events, got ${plan.events}`);
  const base = Math.floor(plan.events / plan.stories);
  const extra = plan.events % plan.stories;
  const startedAt = Date.now() - SPAN_MS - 24 * 3_600_000;
  let nextStory = 0;
  const newStory = (): ScriptedStory | null => {
    if (nextStory >= plan.stories) return null;
    const i = nextStory;
    nextStory += 1;
    return new ScriptedStory(randomUUID(), base + (i < extra ? 1 : 0), seededRandom(plan.seed * 1_000_003 + i), startedAt + Math.floor((i * SPAN_MS) / plan.stories));
  };

  const mix: Record<string, number> = {};
  let events = 0;
  let appends = 0;
  const started = now();
  let lastReport = started;

  const writer = async (share: number): Promise<void> => {
    const rotation: ScriptedStory[] = [];
    for (let i = 0; i < share; i += 1) {
      const story = newStory();
      if (story) rotation.push(story);
    }
    for (let turn = 0; rotation.length > 0 && !isInterrupted(); turn += 1) {
      const slot = turn % rotation.length;
      const story = rotation[slot] as ScriptedStory;
      const stored = story.events;
      const chunk = story.next(plan.eventsPerAppend);
      await store.appendToStream(
        story.streamId,
        chunk.map((e) => ({ eventId: e.eventId, type: e.type, data: e.data, metadata: e.metadata })),
        { expectedRevision: stored === 0 ? 'no_stream' : BigInt(stored - 1) },
      );
      for (const event of chunk) mix[event.type] = (mix[event.type] ?? 0) + 1;
      events += chunk.length;
      appends += 1;
      if (story.done) {
        const replacement = newStory();
        if (replacement) rotation[slot] = replacement;
        else rotation.splice(slot, 1);
      }
      if (now() - lastReport >= 5_000) {
        lastReport = now();
        log(`  seeded ${events.toLocaleString('en')} / ${plan.events.toLocaleString('en')} events (${Math.round(perSecond(events, lastReport - started)).toLocaleString('en')}/s)`);
      }
    }
  };

  const shares = Array.from({ length: plan.writers }, (_, w) => Math.floor(plan.activeStories / plan.writers) + (w < plan.activeStories % plan.writers ? 1 : 0));
  await Promise.all(shares.filter((share) => share > 0).map((share) => writer(share)));
  const ms = now() - started;
  if (!isInterrupted() && events !== plan.events) throw new Error(`seeded ${events} events, wanted ${plan.events}`);
  return { events, stories: nextStory, appends, ms, eventsPerSecond: perSecond(events, ms), mix };
}
