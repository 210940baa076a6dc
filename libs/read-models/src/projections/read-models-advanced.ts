import { type RecordedEvent } from '@newsroom/event-store';
import { storyIdOf } from './story-read-models.projection';

/**
 * The channel the projector NOTIFYs after every committed batch, so readers waiting for their
 * own write (read-your-writes) wake up instead of polling. The notification is queued inside the
 * batch transaction: PostgreSQL delivers it at commit, never for a batch that rolled back.
 */
export const READ_MODELS_ADVANCED_CHANNEL = 'read_models_advanced';

/** PostgreSQL refuses payloads of 8000 bytes or more; stay well below. */
const MAX_PAYLOAD_BYTES = 7_900;

/**
 * The payload: the ids of the stories the batch touched, comma-separated. Empty means "anything
 * may have changed" (a batch touching too many stories to list, a rebuild swap), so a listener
 * must treat it as a wake-up for every story.
 */
export function advancedPayload(events: readonly RecordedEvent[]): string {
  const ids = new Set<string>();
  for (const event of events) {
    const storyId = storyIdOf(event);
    if (storyId !== null) ids.add(storyId);
  }
  const payload = [...ids].join(',');
  return Buffer.byteLength(payload) < MAX_PAYLOAD_BYTES ? payload : '';
}

/** Parses a payload back into story ids; `null` means every story (see `advancedPayload`). */
export function parseAdvancedPayload(payload: string | undefined): readonly string[] | null {
  if (!payload) return null;
  return payload.split(',');
}
