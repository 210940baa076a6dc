import { randomUUID } from 'node:crypto';
import { decide, evolve, GENESIS_HASH, initialState, sealEvents, type StoryCommand, type StoryState, storyStreamId } from '@newsroom/domain';
import { type EventStore, type Position } from '@newsroom/event-store';
import { now } from './latency';
import { isInterrupted } from './lifecycle';
import { openStoryCommand } from './newsroom-payloads';
import { ATTRIBUTIONS, DEVELOPMENT_KINDS, DEVELOPMENT_TEXTS } from './story-corpus';

/** A story the paced appender writes to, one single-event command at a time. */
export class PacedStory {
  readonly streamId: string;
  private state: StoryState = initialState();
  private prevHash = GENESIS_HASH;
  /** Events stored: also the 1-based revision of the last one. */
  stored = 0;

  constructor(readonly id: string) {
    this.streamId = storyStreamId(id);
  }

  /** Seals `command` (which must decide exactly one event), appends it with the exact expected revision, and returns its position in the log. */
  async append(store: EventStore, command: StoryCommand): Promise<Position> {
    const decided = decide(command, this.state);
    const [event] = sealEvents({
      streamId: this.streamId,
      firstRevision: BigInt(this.stored),
      prevHash: this.prevHash,
      events: decided,
      eventIds: decided.map(() => randomUUID()),
      metadata: { editorId: 'ed-bench-lag', correlationId: randomUUID(), causationId: randomUUID(), recordedAt: new Date().toISOString() },
    });
    if (!event || decided.length !== 1) throw new Error(`${command.type} decided ${decided.length} events, not one`);
    const { position } = await store.appendToStream(this.streamId, [{ eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata }], {
      expectedRevision: this.stored === 0 ? 'no_stream' : BigInt(this.stored - 1),
    });
    this.state = evolve(this.state, decided[0] as (typeof decided)[number]);
    this.prevHash = event.metadata.hash;
    this.stored += 1;
    return position;
  }
}

let development = 0;

/** A development with one event (no claims), its wording varied like a newsroom's. */
export function singleEventDevelopment(): StoryCommand {
  development += 1;
  return {
    type: 'LogDevelopment',
    data: {
      developmentId: randomUUID(),
      kind: DEVELOPMENT_KINDS[development % DEVELOPMENT_KINDS.length] ?? 'report',
      text: DEVELOPMENT_TEXTS[development % DEVELOPMENT_TEXTS.length] ?? 'Officials confirmed the figure.',
      attribution: ATTRIBUTIONS[development % ATTRIBUTIONS.length] ?? { anonymous: false },
    },
  };
}

/** Opens `count` stories, `concurrency` appends at a time. */
export async function openStories(store: EventStore, count: number, concurrency: number): Promise<PacedStory[]> {
  const stories = Array.from({ length: count }, () => new PacedStory(randomUUID()));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < stories.length && !isInterrupted()) {
      const story = stories[next] as PacedStory;
      next += 1;
      await story.append(store, openStoryCommand(story.id));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return stories;
}

export interface PacedRun {
  /** Appends the schedule called for. */
  readonly scheduled: number;
  /** Appends that returned successfully. */
  readonly committed: number;
  /** Of those, the ones that returned inside the measured window. */
  readonly committedInWindow: number;
  readonly failures: Readonly<Record<string, number>>;
  /** Scheduled appends dropped because every story already had an append in flight. */
  readonly noIdleStory: number;
  /** Call (scheduled time) to return, ms, of measured appends: includes waiting for a pool connection. */
  readonly appendMs: number[];
  /** How late appends were started relative to the schedule (the generator's own slip), ms. */
  readonly startSlipMs: number[];
  readonly windowMs: number;
}

export interface PaceOptions {
  readonly ratePerSecond: number;
  readonly warmupMs: number;
  readonly windowMs: number;
  /** Called when an append has returned, at `committedAt`, with its event's position; `measured` is false during the warm-up. */
  readonly onCommitted: (story: PacedStory, position: Position, committedAt: number, measured: boolean) => void;
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

/**
 * Open-loop appends at a fixed rate: the i-th append is due at start + i / rate, whether or not
 * earlier ones have returned (a closed loop would slow down with the system and hide the lag).
 * Each goes to the story that has waited longest without an append in flight, one event per
 * append, exact expected revision. Latency is measured from the scheduled time, so queueing
 * behind a saturated pool or a late timer counts against the system, as it would for a client.
 */
export async function pacedAppends(store: EventStore, stories: readonly PacedStory[], options: PaceOptions): Promise<PacedRun> {
  const idle = [...stories];
  const intervalMs = 1000 / options.ratePerSecond;
  const start = now();
  const windowStart = start + options.warmupMs;
  const end = windowStart + options.windowMs;
  const inFlight = new Set<Promise<void>>();
  const failures: Record<string, number> = {};
  const appendMs: number[] = [];
  const startSlipMs: number[] = [];
  let scheduled = 0;
  let committed = 0;
  let committedInWindow = 0;
  let noIdleStory = 0;

  const fire = (dueAt: number): void => {
    const story = idle.shift();
    if (!story) {
      noIdleStory += 1;
      return;
    }
    const startedAt = now();
    const measured = dueAt >= windowStart;
    if (measured) startSlipMs.push(startedAt - dueAt);
    const appended = story.append(store, singleEventDevelopment()).then(
      (position) => {
        const committedAt = now();
        committed += 1;
        if (committedAt >= windowStart && committedAt <= end) committedInWindow += 1;
        if (measured) appendMs.push(committedAt - dueAt);
        options.onCommitted(story, position, committedAt, measured);
        idle.push(story);
      },
      (error: unknown) => {
        // The story's expected revision is unknown now: it is not written to again.
        const label = error instanceof Error ? error.name : 'Error';
        failures[label] = (failures[label] ?? 0) + 1;
      },
    );
    inFlight.add(appended);
    void appended.finally(() => inFlight.delete(appended));
  };

  while (!isInterrupted()) {
    const t = now();
    if (t >= end) break;
    const due = Math.min(Math.floor((t - start) / intervalMs) + 1, Math.ceil((end - start) / intervalMs));
    while (scheduled < due) {
      fire(start + scheduled * intervalMs);
      scheduled += 1;
    }
    await tick();
  }
  await Promise.all(inFlight);
  return { scheduled, committed, committedInWindow, failures, noIdleStory, appendMs, startSlipMs, windowMs: options.windowMs };
}
