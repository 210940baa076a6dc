import { createHash } from 'node:crypto';

/** Our namespace for name-based UUIDs (RFC 9562 v5): ids derived from an editor's Idempotency-Key. */
const NAMESPACE = Buffer.from('5f0c1b9e8a3d4e7fb2c6a1d90e4f7a21', 'hex');

/**
 * A UUID that is the same every time for the same editor and key, so a request retried after a
 * crash opens the same story rather than a second one.
 */
export function keyDerivedUuid(editorId: string, key: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${editorId}\u0000${key}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
