import { hash } from 'node:crypto';
import { withoutUndefined } from '../shared/without-undefined';
import { type StoryEvent, storyEventSchemaVersions } from '../story/story.events';
import { canonicalJson, type JsonObject, NotCanonicalizable } from './canonical-json';

/**
 * Every stored event is sealed into a per-stream hash chain, so an audit can prove that no
 * event was edited, dropped or reordered after it was written:
 *
 *   hash(r) = sha256_hex(prevHash(r) + canonicalJson({ streamId, revision, eventId, type,
 *                                                      schemaVersion, data, metadata }))
 *
 * where `revision` is the 0-based stream revision as a decimal string, `metadata` excludes
 * `hash` and `prevHash`, and the first event's prevHash is GENESIS_HASH. The chain cannot by
 * itself reveal events cut from the *end* of a stream: compare the head hash with one kept
 * elsewhere for that.
 */

export interface EventMetadata {
  /** The acting editor. */
  readonly editorId: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  /** ISO-8601, from the caller's clock. */
  readonly recordedAt: string;
  /** Why, when the command gives a reason: see `reasonOf`. */
  readonly reason?: string;
  /**
   * The client's Idempotency-Key for the request that wrote the event, when it sent one: lets a
   * retry after a crash find what its first attempt already wrote instead of writing it twice.
   */
  readonly idempotencyKey?: string;
}

export type SealedMetadata = EventMetadata & {
  readonly schemaVersion: number;
  readonly prevHash: string;
  readonly hash: string;
};

/**
 * An event ready to append. Sealing canonicalizes data and metadata, which proves both are
 * plain JSON, hence the `& JsonObject`: they can go to a store's JSON columns as they are.
 * Distributes over the union, so narrowing on `type` narrows `data` too.
 */
export type SealedEvent<E extends { type: string; data: object } = StoryEvent> = E extends unknown
  ? {
      readonly eventId: string;
      readonly type: E['type'];
      readonly schemaVersion: number;
      readonly data: E['data'] & JsonObject;
      readonly metadata: SealedMetadata & JsonObject;
    }
  : never;

export const GENESIS_HASH = '0'.repeat(64);

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface SealInput {
  readonly streamId: string;
  /** 0-based stream revision the first of `events` will be stored at. */
  readonly firstRevision: bigint;
  /** Hash of the stream's current last event, or GENESIS_HASH for a new stream. */
  readonly prevHash: string;
  readonly events: readonly StoryEvent[];
  /** One id per event, same order. */
  readonly eventIds: readonly string[];
  readonly metadata: EventMetadata;
}

export function sealEvents(input: SealInput): SealedEvent[] {
  const { streamId, firstRevision, events, eventIds } = input;
  if (events.length !== eventIds.length) throw new RangeError(`${events.length} events but ${eventIds.length} event ids`);
  if (firstRevision < 0n) throw new RangeError(`firstRevision must be >= 0, got ${firstRevision}`);
  if (!SHA256_HEX.test(input.prevHash)) throw new RangeError('prevHash must be 64 lowercase hex characters');

  let prevHash = input.prevHash;
  return events.map((event, i): SealedEvent => {
    const eventId = eventIds[i] as string;
    const schemaVersion = storyEventSchemaVersions[event.type];
    const metadata = { ...withoutUndefined(input.metadata), schemaVersion };
    const revision = firstRevision + BigInt(i);
    const hash = computeEventHash({ prevHash, streamId, revision, eventId, type: event.type, schemaVersion, data: event.data, metadata });
    const sealed = { eventId, type: event.type, schemaVersion, data: event.data, metadata: { ...metadata, prevHash, hash } };
    prevHash = hash;
    return sealed as SealedEvent;
  });
}

export interface EventHashInput {
  readonly prevHash: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  /** Stored metadata; its own `hash` and `prevHash`, if present, are left out. */
  readonly metadata: object;
}

/** @throws NotCanonicalizable when data or metadata holds something JSON cannot carry. */
export function computeEventHash(input: EventHashInput): string {
  const metadata = Object.fromEntries(Object.entries(input.metadata).filter(([key]) => key !== 'hash' && key !== 'prevHash'));
  const body = canonicalJson({
    streamId: input.streamId,
    revision: input.revision.toString(),
    eventId: input.eventId,
    type: input.type,
    schemaVersion: input.schemaVersion,
    data: input.data,
    metadata,
  });
  // One-shot (Node 20.12+): about 1 µs less per event than a Hash object for a 1.5 KB body.
  return hash('sha256', input.prevHash + body, 'hex');
}

export interface StoredEventForVerification {
  readonly revision: bigint;
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

export type ChainBreak = 'revision_out_of_order' | 'malformed_envelope' | 'prev_hash_mismatch' | 'hash_mismatch';

export type ChainVerification =
  /** `revision` is the last verified event's, null when there were none. */
  | { readonly valid: true; readonly headHash: string; readonly revision: bigint | null }
  /**
   * `firstInvalidRevision` is 0-based: the revision at which the chain first breaks, i.e.
   * the position the next intact event should have had. Every event before it verified.
   */
  | { readonly valid: false; readonly firstInvalidRevision: bigint; readonly reason: ChainBreak };

/**
 * Re-verifies events read back from a store, expected in revision order starting at
 * `from.revision` (by default the whole stream from genesis).
 */
export function verifyChain(
  streamId: string,
  events: readonly StoredEventForVerification[],
  from: { readonly revision: bigint; readonly prevHash: string } = { revision: 0n, prevHash: GENESIS_HASH },
): ChainVerification {
  let prevHash = from.prevHash;
  let expected = from.revision;
  for (const event of events) {
    const broken = (reason: ChainBreak): ChainVerification => ({ valid: false, firstInvalidRevision: expected, reason });
    if (event.revision !== expected) return broken('revision_out_of_order');
    const envelope = readEnvelope(event.metadata);
    if (envelope === undefined) return broken('malformed_envelope');
    if (envelope.prevHash !== prevHash) return broken('prev_hash_mismatch');
    const hash = hashOrUndefined({ ...event, streamId, prevHash, schemaVersion: envelope.schemaVersion, metadata: envelope.metadata });
    if (hash === undefined) return broken('malformed_envelope');
    if (hash !== envelope.hash) return broken('hash_mismatch');
    prevHash = hash;
    expected += 1n;
  }
  return { valid: true, headHash: prevHash, revision: expected === from.revision ? null : expected - 1n };
}

function readEnvelope(metadata: unknown): { prevHash: string; hash: string; schemaVersion: number; metadata: object } | undefined {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return undefined;
  const { prevHash, hash, schemaVersion } = metadata as Record<string, unknown>;
  if (typeof prevHash !== 'string' || typeof hash !== 'string') return undefined;
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1) return undefined;
  return { prevHash, hash, schemaVersion, metadata };
}

function hashOrUndefined(input: EventHashInput): string | undefined {
  try {
    return computeEventHash(input);
  } catch (error: unknown) {
    if (error instanceof NotCanonicalizable) return undefined;
    throw error;
  }
}
