import { randomUUID } from 'node:crypto';
import { decide, evolve, GENESIS_HASH, initialState, sealEvents, storyStreamId, type StoryCommand, type StoryState } from '@newsroom/domain';
import { type AppendResult, type EventStore } from '@newsroom/event-store';

/** A readable, deterministic UUID for test data: uuid(1) = 00000000-0000-4000-8000-000000000001. */
export const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

let nextId = 1000;
/** The next deterministic id, unique within a test file. */
export const nextUuid = (): string => uuid(nextId++);

/**
 * One story stream, written exactly as the API writes it: each command is decided against the
 * current state, sealed into the hash chain and appended with the expected revision.
 */
export class StoryWriter {
  private state: StoryState = initialState();
  private revision = 0;
  private prevHash = GENESIS_HASH;
  private commands = 0;

  constructor(
    private readonly store: EventStore,
    readonly storyId: string,
  ) {}

  get currentState(): StoryState {
    return this.state;
  }

  /** Appends each command as its own append; returns the result of the last (null for none). */
  async write(commands: readonly StoryCommand[]): Promise<AppendResult | null> {
    let result: AppendResult | null = null;
    for (const command of commands) {
      const i = this.commands++;
      const events = decide(command, this.state);
      const sealed = sealEvents({
        streamId: storyStreamId(this.storyId),
        firstRevision: BigInt(this.revision),
        prevHash: this.prevHash,
        events,
        eventIds: events.map(() => nextUuid()),
        metadata: { editorId: 'ed-1', correlationId: `c-${i}`, causationId: null, recordedAt: new Date(Date.UTC(2025, 2, 14, 8, i)).toISOString() },
      });
      result = await this.store.appendToStream(storyStreamId(this.storyId), sealed, {
        expectedRevision: this.revision === 0 ? 'no_stream' : BigInt(this.revision - 1),
      });
      this.state = events.reduce(evolve, this.state);
      this.revision += sealed.length;
      this.prevHash = sealed.at(-1)?.metadata.hash ?? this.prevHash;
    }
    return result;
  }
}

/** Writes commands to a new story stream exactly as the API does (decide, seal, append). */
export async function given(store: EventStore, storyId: string, commands: readonly StoryCommand[]): Promise<AppendResult | null> {
  return new StoryWriter(store, storyId).write(commands);
}

/** Opens a story and logs `developments` updates, every third with a claim. */
export function openAndLog(storyId: string, developments: number): StoryCommand[] {
  return [
    { type: 'OpenStory', data: { storyId, headline: 'Airstrike in Anbar', desk: 'world' } },
    ...Array.from({ length: developments }, (_, i): StoryCommand => ({
      type: 'LogDevelopment',
      data: {
        developmentId: nextUuid(),
        kind: 'update',
        text: `update ${i}`,
        attribution: { anonymous: false },
        claims: i % 3 === 0 ? [{ claimId: nextUuid(), text: `claim ${i}` }] : [],
      },
    })),
  ];
}

/**
 * An endless, always-valid editorial history for one story that touches every read model:
 * sources, developments citing them, claims reported, confirmed, disputed and retracted,
 * corrections, headline and summary revisions, retractions, publication. Call `next()` for the
 * command to write after the previous ones.
 */
export class StoryScript {
  private step = 0;
  private readonly sources: string[] = [];
  private readonly developments: string[] = [];
  private readonly liveClaims: string[] = [];

  constructor(readonly storyId: string = randomUUID()) {}

  next(): StoryCommand {
    const step = this.step++;
    if (step === 0) {
      return { type: 'OpenStory', data: { storyId: this.storyId, headline: 'Airstrike reported in Anbar province', desk: 'world', summary: 'First reports.' } };
    }
    switch (step % 8) {
      case 1: {
        const sourceId = randomUUID();
        this.sources.push(sourceId);
        return { type: 'CiteSource', data: { sourceId, url: `https://example.org/wire/${step}`, publisher: 'Example Wire', title: `Wire ${step}` } };
      }
      case 2:
        return this.logDevelopment(step, { sourceIds: this.sources.slice(-1), claims: [{ claimId: this.newClaim(), text: `claim from step ${step}` }] });
      case 3:
        return this.logDevelopment(step, { confirms: this.liveClaims.slice(-1) });
      case 4: {
        const target = this.developments.at(-1);
        return target
          ? { type: 'IssueCorrection', data: { correctionId: randomUUID(), target: { type: 'development', id: target }, correctedText: `corrected at ${step}`, note: 'Wording fixed.' } }
          : this.logDevelopment(step, {});
      }
      case 5:
        return { type: 'ReviseStory', data: { headline: `Airstrike in Anbar: update ${step}`, summary: `Summary as of step ${step}.`, reason: 'New facts.' } };
      case 6:
        return this.logDevelopment(step, { disputes: this.liveClaims.slice(-1), claims: [{ claimId: this.newClaim(), text: `counter-claim ${step}` }] });
      case 7: {
        const claimId = this.liveClaims.pop();
        return claimId ? { type: 'RetractClaim', data: { claimId, reason: 'Source withdrew it.' } } : this.logDevelopment(step, {});
      }
      default: {
        if (step === 8) return { type: 'PublishStory', data: {} };
        const developmentId = this.developments.shift();
        return developmentId ? { type: 'RetractDevelopment', data: { developmentId, reason: 'Could not be verified.' } } : this.logDevelopment(step, {});
      }
    }
  }

  private newClaim(): string {
    const claimId = randomUUID();
    this.liveClaims.push(claimId);
    return claimId;
  }

  private logDevelopment(step: number, extra: { sourceIds?: string[]; claims?: { claimId: string; text: string }[]; confirms?: string[]; disputes?: string[] }): StoryCommand {
    const developmentId = randomUUID();
    this.developments.push(developmentId);
    return {
      type: 'LogDevelopment',
      data: {
        developmentId,
        kind: 'update',
        text: `development at step ${step}`,
        attribution: step % 2 === 0 ? { anonymous: false, name: 'Jane Official', role: 'Spokesperson' } : { anonymous: true, role: 'security official', anonymityReason: 'not authorised to speak' },
        ...extra,
      },
    };
  }
}

/** Writes `commands` scripted commands to each of `stories` new stories, one append per command; returns the last append. */
export async function writeStories(store: EventStore, stories: number, commands: number): Promise<AppendResult> {
  let last: AppendResult | null = null;
  for (let s = 0; s < stories; s += 1) {
    const script = new StoryScript();
    const writer = new StoryWriter(store, script.storyId);
    for (let c = 0; c < commands; c += 1) last = await writer.write([script.next()]);
  }
  if (!last) throw new Error('nothing written');
  return last;
}

/**
 * Keeps appending to a handful of stories, one command at a time, until stopped: the steady
 * trickle of editorial work a projector has to keep up with while tests crash things around it.
 */
export class BackgroundWriter {
  private readonly stories: { script: StoryScript; writer: StoryWriter }[];
  private stopping = false;
  private loop: Promise<void> | null = null;
  private last: AppendResult | null = null;
  commands = 0;

  constructor(
    store: EventStore,
    stories: number,
    private readonly pauseMs: number,
  ) {
    this.stories = Array.from({ length: stories }, () => {
      const script = new StoryScript();
      return { script, writer: new StoryWriter(store, script.storyId) };
    });
  }

  start(): void {
    this.loop ??= (async () => {
      while (!this.stopping) {
        const story = this.stories[this.commands % this.stories.length];
        if (!story) break;
        this.last = (await story.writer.write([story.script.next()])) ?? this.last;
        this.commands += 1;
        await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
      }
    })();
  }

  /** Stops after the append in flight; returns the last append's result. */
  async stop(): Promise<AppendResult> {
    this.stopping = true;
    await this.loop;
    if (!this.last) throw new Error('the background writer wrote nothing');
    return this.last;
  }
}
