import { createHash } from 'node:crypto';
import { claimReported, developmentLogged, storyOpened } from '../testing/story.test-data';
import { canonicalJson } from './canonical-json';
import { computeEventHash, type EventMetadata, GENESIS_HASH, type SealedEvent, sealEvents, type StoredEventForVerification, verifyChain } from './event-envelope';

const STREAM = 'story-0b3e5c1a';
const metadata: EventMetadata = { editorId: 'editor-1', correlationId: 'corr-1', causationId: null, recordedAt: '2025-03-14T09:00:00.000Z' };
const eventIds = ['e0', 'e1', 'e2'];

/** Three events sealed from genesis, then read back as a store returns them (revision attached). */
function storedStream(): StoredEventForVerification[] {
  const sealed = sealEvents({ streamId: STREAM, firstRevision: 0n, prevHash: GENESIS_HASH, events: [storyOpened(), developmentLogged(), claimReported()], eventIds, metadata });
  return sealed.map((event, i) => ({ revision: BigInt(i), eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata }));
}

/** What a JSON store hands back: a deep copy, keys possibly reordered (as PostgreSQL jsonb does). */
function roundTrip<T>(value: T): T {
  const reversed = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(reversed) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
  return reversed(JSON.parse(JSON.stringify(value))) as T;
}

describe('sealing three events onto a new stream', () => {
  const sealed = sealEvents({ streamId: STREAM, firstRevision: 0n, prevHash: GENESIS_HASH, events: [storyOpened(), developmentLogged(), claimReported()], eventIds, metadata: { ...metadata, reason: 'Breaking.' } });

  it('chains them: the first links to genesis and each next one to the hash before it', () => {
    expect(sealed.map((e) => e.metadata.prevHash)).toEqual([GENESIS_HASH, sealed[0]?.metadata.hash, sealed[1]?.metadata.hash]);
    expect(new Set(sealed.map((e) => e.metadata.hash)).size).toBe(3);
    for (const event of sealed) expect(event.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps ids, types, data, metadata and schema version 1 on every event', () => {
    const first = sealed[0] as SealedEvent;
    expect(first).toMatchObject({ eventId: 'e0', type: 'StoryOpened', schemaVersion: 1, data: storyOpened().data });
    expect(first.metadata).toMatchObject({ ...metadata, reason: 'Breaking.', schemaVersion: 1 });
  });

  it('hashes sha256(prevHash + canonical JSON of the event without its hashes), the documented formula', () => {
    const first = sealed[0] as SealedEvent;
    const { hash, prevHash, ...rest } = first.metadata;
    const body = canonicalJson({ streamId: STREAM, revision: '0', eventId: 'e0', type: 'StoryOpened', schemaVersion: 1, data: first.data, metadata: rest });
    expect(hash).toBe(createHash('sha256').update(prevHash + body).digest('hex'));
  });

  it('hashes differently in another stream or at another revision', () => {
    const input = { prevHash: GENESIS_HASH, streamId: STREAM, revision: 0n, eventId: 'e0', type: 'StoryOpened', schemaVersion: 1, data: storyOpened().data, metadata };
    const base = computeEventHash(input);
    expect(computeEventHash({ ...input, streamId: 'story-other' })).not.toBe(base);
    expect(computeEventHash({ ...input, revision: 1n })).not.toBe(base);
  });
});

describe('sealing with metadata that has no reason', () => {
  it('leaves the reason key out rather than storing undefined', () => {
    const [event] = sealEvents({ streamId: STREAM, firstRevision: 0n, prevHash: GENESIS_HASH, events: [storyOpened()], eventIds: ['e0'], metadata: { ...metadata, reason: undefined } });
    expect(Object.keys(event?.metadata ?? {})).not.toContain('reason');
  });
});

describe('sealing with the wrong inputs', () => {
  it('refuses a different number of ids than events', () => {
    expect(() => sealEvents({ streamId: STREAM, firstRevision: 0n, prevHash: GENESIS_HASH, events: [storyOpened()], eventIds: [], metadata })).toThrow(RangeError);
  });

  it('refuses a previous hash that is not a sha256 hex digest', () => {
    expect(() => sealEvents({ streamId: STREAM, firstRevision: 0n, prevHash: 'abc', events: [storyOpened()], eventIds: ['e0'], metadata })).toThrow(RangeError);
  });
});

describe('an intact stream read back from a store', () => {
  it('verifies, reporting the head hash and last revision', () => {
    const stream = storedStream();
    expect(verifyChain(STREAM, stream)).toEqual({ valid: true, headHash: (stream[2]?.metadata as { hash: string }).hash, revision: 2n });
  });

  it('verifies after a JSON round trip that reordered every key', () => {
    const readBack = storedStream().map((e) => ({ ...e, data: roundTrip(e.data), metadata: roundTrip(e.metadata) }));
    expect(JSON.stringify(readBack[1]?.data)).not.toBe(JSON.stringify(storedStream()[1]?.data));
    expect(verifyChain(STREAM, readBack)).toMatchObject({ valid: true, revision: 2n });
  });

  it('verifies when appended in two batches, the second continuing from the first one’s head', () => {
    const firstBatch = sealEvents({ streamId: STREAM, firstRevision: 0n, prevHash: GENESIS_HASH, events: [storyOpened(), developmentLogged()], eventIds: ['e0', 'e1'], metadata });
    const secondBatch = sealEvents({ streamId: STREAM, firstRevision: 2n, prevHash: firstBatch[1]?.metadata.hash ?? '', events: [claimReported()], eventIds: ['e2'], metadata });
    const stream = [...firstBatch, ...secondBatch].map((e, i) => ({ ...e, revision: BigInt(i) }));
    expect(verifyChain(STREAM, stream)).toMatchObject({ valid: true, revision: 2n });
    expect(verifyChain(STREAM, stream.slice(2), { revision: 2n, prevHash: firstBatch[1]?.metadata.hash ?? '' })).toMatchObject({ valid: true, revision: 2n });
  });

  it('verifies an empty stream as the genesis hash with no revision', () => {
    expect(verifyChain(STREAM, [])).toEqual({ valid: true, headHash: GENESIS_HASH, revision: null });
  });

  it('does not verify under another stream id', () => {
    expect(verifyChain('story-other', storedStream())).toEqual({ valid: false, firstInvalidRevision: 0n, reason: 'hash_mismatch' });
  });
});

describe('a stream tampered with after it was written', () => {
  // firstInvalidRevision is 0-based: 1n is the second event.
  it('with the data of its second event altered fails at revision 1 with a hash mismatch', () => {
    const stream = storedStream();
    stream[1] = { ...(stream[1] as StoredEventForVerification), data: { ...developmentLogged().data, text: 'Something else.' } };
    expect(verifyChain(STREAM, stream)).toEqual({ valid: false, firstInvalidRevision: 1n, reason: 'hash_mismatch' });
  });

  it('with the second event altered and its hash recomputed fails at revision 2, whose link no longer matches', () => {
    const stream = storedStream();
    const second = stream[1] as StoredEventForVerification;
    const data = { ...developmentLogged().data, text: 'Something else.' };
    const meta = second.metadata as Record<string, unknown> & { prevHash: string };
    const hash = computeEventHash({ ...second, streamId: STREAM, prevHash: meta.prevHash, schemaVersion: 1, data, metadata: meta });
    stream[1] = { ...second, data, metadata: { ...meta, hash } };
    expect(verifyChain(STREAM, stream)).toEqual({ valid: false, firstInvalidRevision: 2n, reason: 'prev_hash_mismatch' });
  });

  it('with the editor in its metadata altered fails with a hash mismatch', () => {
    const stream = storedStream();
    const second = stream[1] as StoredEventForVerification;
    stream[1] = { ...second, metadata: { ...(second.metadata as object), editorId: 'someone-else' } };
    expect(verifyChain(STREAM, stream)).toEqual({ valid: false, firstInvalidRevision: 1n, reason: 'hash_mismatch' });
  });

  it('with its second event removed fails at revision 1, where the gap is', () => {
    const stream = storedStream();
    stream.splice(1, 1);
    expect(verifyChain(STREAM, stream)).toEqual({ valid: false, firstInvalidRevision: 1n, reason: 'revision_out_of_order' });
  });

  it('with its second event removed and later revisions renumbered fails at revision 1 on the broken link', () => {
    const stream = storedStream();
    stream.splice(1, 1);
    const renumbered = stream.map((e, i) => ({ ...e, revision: BigInt(i) }));
    expect(verifyChain(STREAM, renumbered)).toEqual({ valid: false, firstInvalidRevision: 1n, reason: 'prev_hash_mismatch' });
  });

  it('with two events swapped, revisions and all, fails at revision 1', () => {
    const [a, b, c] = storedStream() as [StoredEventForVerification, StoredEventForVerification, StoredEventForVerification];
    expect(verifyChain(STREAM, [a, c, b])).toEqual({ valid: false, firstInvalidRevision: 1n, reason: 'revision_out_of_order' });
  });

  it('with two events swapped but revisions left in place fails at revision 1 on the broken link', () => {
    const [a, b, c] = storedStream() as [StoredEventForVerification, StoredEventForVerification, StoredEventForVerification];
    const swapped = [a, { ...c, revision: 1n }, { ...b, revision: 2n }];
    expect(verifyChain(STREAM, swapped)).toEqual({ valid: false, firstInvalidRevision: 1n, reason: 'prev_hash_mismatch' });
  });

  it('with metadata missing its hash fails as a malformed envelope', () => {
    const stream = storedStream();
    const withoutHash = Object.fromEntries(Object.entries(stream[0]?.metadata as object).filter(([key]) => key !== 'hash'));
    stream[0] = { ...(stream[0] as StoredEventForVerification), metadata: withoutHash };
    expect(verifyChain(STREAM, stream)).toEqual({ valid: false, firstInvalidRevision: 0n, reason: 'malformed_envelope' });
  });
});
