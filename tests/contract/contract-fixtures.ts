import { randomUUID } from 'node:crypto';
import type { EventToAppend, JsonObject } from '@newsroom/event-store';

export function testEvent(data: JsonObject = {}, overrides: Partial<EventToAppend> = {}): EventToAppend {
  return { eventId: randomUUID(), type: 'ContractTested', data, metadata: { source: 'contract' }, ...overrides };
}

export function testEvents(count: number, from = 0): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => testEvent({ n: from + index }));
}

/** Streams of one test never meet another test's, so the suite can share one store. */
export function uniqueStreamId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected a rejection, but the promise resolved');
}

/** Retries an assertion until it passes: for state that becomes true eventually, never a fixed sleep. */
export async function eventually(assertion: () => Promise<void>, timeoutMs: number, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
