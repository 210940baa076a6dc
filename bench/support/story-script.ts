import { randomUUID } from 'node:crypto';
import {
  decide,
  evolve,
  GENESIS_HASH,
  initialState,
  type OccurredAt,
  reasonOf,
  sealEvents,
  type SealedEvent,
  type StoryCommand,
  type StoryState,
  storyStreamId,
} from '@newsroom/domain';
import {
  ATTRIBUTIONS,
  CLAIM_TEXTS,
  DESKS,
  DEVELOPMENT_KINDS,
  DEVELOPMENT_TEXTS,
  HEADLINES,
  LOCATIONS,
  NOTES,
  PUBLISHERS,
  QUOTES,
  REASONS,
  SUMMARIES,
} from './story-corpus';

/** A uniform number in [0, 1). */
export type Random = () => number;

/** mulberry32: a small seeded generator, so a seeded log has the same shape from run to run. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(rng: Random, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const MINUTE = 60_000;
const EDITORS = Array.from({ length: 24 }, (_, i) => `ed-seed-${String(i + 1).padStart(2, '0')}`);

/**
 * One story as an editor would write it, command by command, through the real `decide` and
 * `sealEvents` (the hash chain and metadata are the API's), with exactly `target` events.
 * The mix: an opening, developments (many reporting claims, confirming or disputing earlier
 * ones, citing sources), sources, corrections, headline and summary revisions, the odd
 * retraction, publication, and rarely a withdrawal as the last word. Its clock is its own:
 * `recordedAt` starts at `startAt` and moves 1-12 minutes per command, so `asOf` has real history
 * to look back into.
 */
export class ScriptedStory {
  readonly streamId: string;
  private state: StoryState = initialState();
  /** Events sealed so far: the next event's 0-based stream revision. */
  private sealed = 0;
  private prevHash = GENESIS_HASH;
  private at: number;
  private published = false;
  private readonly developments: string[] = [];
  private readonly claims: { id: string; status: 'reported' | 'confirmed' | 'disputed' }[] = [];
  private readonly sources: string[] = [];
  private readonly editors: readonly string[];

  constructor(
    readonly storyId: string,
    readonly target: number,
    private readonly rng: Random,
    startAt: number,
  ) {
    if (!(Number.isSafeInteger(target) && target >= 1)) throw new RangeError(`a story needs at least one event, got ${target}`);
    this.streamId = storyStreamId(storyId);
    this.at = startAt;
    // Two to four editors share a story.
    const first = Math.floor(rng() * EDITORS.length);
    this.editors = Array.from({ length: 2 + Math.floor(rng() * 3) }, (_, i) => EDITORS[(first + i) % EDITORS.length] as string);
  }

  get done(): boolean {
    return this.sealed >= this.target || this.state.status === 'withdrawn';
  }

  /** Events sealed so far. */
  get events(): number {
    return this.sealed;
  }

  /** Decides and seals whole commands until at least `atLeast` new events (or the story is complete). */
  next(atLeast: number): SealedEvent[] {
    const out: SealedEvent[] = [];
    while (out.length < atLeast && !this.done) out.push(...this.step());
    return out;
  }

  private step(): SealedEvent[] {
    const command = this.command(this.target - this.sealed);
    const decided = decide(command, this.state);
    const reason = reasonOf(command);
    this.at += (1 + Math.floor(this.rng() * 12)) * MINUTE;
    const sealed = sealEvents({
      streamId: this.streamId,
      firstRevision: BigInt(this.sealed),
      prevHash: this.prevHash,
      events: decided,
      eventIds: decided.map(() => randomUUID()),
      metadata: {
        editorId: pick(this.rng, this.editors),
        correlationId: randomUUID(),
        causationId: randomUUID(),
        recordedAt: new Date(this.at).toISOString(),
        ...(reason === undefined ? {} : { reason }),
      },
    });
    this.state = decided.reduce(evolve, this.state);
    this.sealed += sealed.length;
    this.prevHash = sealed.at(-1)?.metadata.hash ?? this.prevHash;
    return sealed;
  }

  /** The next command, never producing more than `remaining` events. */
  private command(remaining: number): StoryCommand {
    const rng = this.rng;
    if (this.sealed === 0) return this.open();
    if (remaining === 1 && rng() < 0.02) return { type: 'WithdrawStory', data: { reason: 'the report could not be verified' } };
    if (!this.published && this.sealed >= 8 && rng() < 0.15) {
      this.published = true;
      return { type: 'PublishStory', data: {} };
    }
    const roll = rng() * 100;
    if (roll < 10) return this.citeSource();
    if (roll < 14 && this.developments.length > 0) return this.correction();
    if (roll < 16.5) return this.revise(remaining);
    if (roll < 17.5 && this.claims.length >= 2) return this.retractClaim();
    if (roll < 18 && this.developments.length >= 3) return this.retractDevelopment();
    return this.development(remaining);
  }

  private open(): StoryCommand {
    const rng = this.rng;
    return {
      type: 'OpenStory',
      data: {
        storyId: this.storyId,
        headline: pick(rng, HEADLINES),
        desk: pick(rng, DESKS),
        ...(rng() < 0.8 ? { summary: pick(rng, SUMMARIES) } : {}),
      },
    };
  }

  private citeSource(): StoryCommand {
    const sourceId = randomUUID();
    this.sources.push(sourceId);
    const publisher = pick(this.rng, PUBLISHERS);
    return {
      type: 'CiteSource',
      data: { sourceId, url: `https://news.example.org/${publisher.toLowerCase().replace(/\W+/g, '-')}/${sourceId}`, publisher, title: pick(this.rng, HEADLINES) },
    };
  }

  private development(remaining: number): StoryCommand {
    const rng = this.rng;
    const developmentId = randomUUID();
    let budget = remaining - 1;
    const take = (wanted: number): number => {
      const n = Math.min(wanted, budget);
      budget -= n;
      return n;
    };
    const u = rng();
    const newClaims = Array.from({ length: take(u < 0.35 ? 1 : u < 0.45 ? 2 : 0) }, () => ({ claimId: randomUUID(), text: pick(rng, CLAIM_TEXTS) }));
    const open = this.claims.filter((c) => c.status !== 'confirmed');
    const confirmCount = take(rng() < 0.35 ? 1 : 0);
    const confirms = confirmCount === 0 ? [] : open.slice(-confirmCount);
    const disputable = this.claims.filter((c) => c.status === 'reported' && !confirms.includes(c));
    const disputes = disputable.slice(0, take(rng() < 0.12 ? 1 : 0));
    for (const claim of confirms) claim.status = 'confirmed';
    for (const claim of disputes) claim.status = 'disputed';
    for (const claim of newClaims) this.claims.push({ id: claim.claimId, status: 'reported' });
    this.developments.push(developmentId);
    return {
      type: 'LogDevelopment',
      data: {
        developmentId,
        kind: pick(rng, DEVELOPMENT_KINDS),
        text: pick(rng, DEVELOPMENT_TEXTS),
        attribution: pick(rng, ATTRIBUTIONS),
        ...(rng() < 0.7 ? { occurredAt: this.occurredAt() } : {}),
        ...(rng() < 0.5 ? { location: pick(rng, LOCATIONS) } : {}),
        ...(rng() < 0.3 ? { quote: pick(rng, QUOTES) } : {}),
        ...(this.sources.length > 0 && rng() < 0.5 ? { sourceIds: [pick(rng, this.sources)] } : {}),
        ...(newClaims.length > 0 ? { claims: newClaims } : {}),
        ...(confirms.length > 0 ? { confirms: confirms.map((c) => c.id) } : {}),
        ...(disputes.length > 0 ? { disputes: disputes.map((c) => c.id) } : {}),
      },
    };
  }

  private occurredAt(): OccurredAt {
    const rng = this.rng;
    const at = new Date(this.at - Math.floor(rng() * 120) * MINUTE).toISOString();
    const u = rng();
    if (u < 0.6) return { at, precision: 'exact' };
    if (u < 0.8) return { at, precision: 'hour' };
    if (u < 0.9) return { at: at.slice(0, 10), precision: 'day' };
    return { at, precision: 'approximate', label: 'Thursday night' };
  }

  private correction(): StoryCommand {
    const rng = this.rng;
    const correctionId = randomUUID();
    const note = pick(rng, NOTES);
    const u = rng();
    if (u < 0.65 || this.claims.length === 0) {
      const id = pick(rng, this.developments);
      return { type: 'IssueCorrection', data: { correctionId, note, target: { type: 'development', id }, ...(rng() < 0.8 ? { correctedText: pick(rng, DEVELOPMENT_TEXTS) } : {}) } };
    }
    if (u < 0.85) {
      const id = pick(rng, this.claims).id;
      return { type: 'IssueCorrection', data: { correctionId, note, kind: 'clarification', target: { type: 'claim', id }, correctedText: pick(rng, CLAIM_TEXTS) } };
    }
    return { type: 'IssueCorrection', data: { correctionId, note, target: { type: 'headline' }, correctedText: pick(rng, HEADLINES) } };
  }

  private revise(remaining: number): StoryCommand {
    const rng = this.rng;
    const reason = pick(rng, REASONS);
    const state = this.state;
    const currentHeadline = state.status === 'absent' ? '' : state.headline;
    const headline = pick(rng, HEADLINES.filter((h) => h !== currentHeadline));
    if (remaining >= 2 && rng() < 0.3) return { type: 'ReviseStory', data: { reason, headline, summary: `${pick(rng, SUMMARIES)} Updated ${this.sealed}.` } };
    if (rng() < 0.5) return { type: 'ReviseStory', data: { reason, headline } };
    return { type: 'ReviseStory', data: { reason, summary: `${pick(rng, SUMMARIES)} Updated ${this.sealed}.` } };
  }

  private retractClaim(): StoryCommand {
    const index = Math.floor(this.rng() * this.claims.length);
    const [claim] = this.claims.splice(index, 1);
    if (!claim) throw new Error('no claim to retract');
    return { type: 'RetractClaim', data: { claimId: claim.id, reason: pick(this.rng, REASONS), ...(this.developments.length > 0 ? { developmentId: this.developments.at(-1) } : {}) } };
  }

  private retractDevelopment(): StoryCommand {
    // Not the newest: claims and confirmations keep pointing at it, which the record must allow.
    const index = Math.floor(this.rng() * (this.developments.length - 1));
    const [developmentId] = this.developments.splice(index, 1);
    if (!developmentId) throw new Error('no development to retract');
    return { type: 'RetractDevelopment', data: { developmentId, reason: pick(this.rng, REASONS) } };
  }
}
