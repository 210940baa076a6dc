import type { EventStore } from '@newsroom/event-store';
import { describeAppendingContract } from './appending.contract';
import { describeConcurrencyContract } from './concurrency.contract';
import { describeReadingContract } from './reading.contract';
import { describeSubscribingContract } from './subscribing.contract';

/**
 * A test-only capability: hold the transaction of an append open after it has written, so the
 * suite can show that a subscription does not run past an event that commits late.
 */
export interface HoldAppends {
  /** Appends to streams whose id starts with this are the ones held. */
  readonly streamPrefix: string;
  hold(): Promise<AppendHold>;
}

export interface AppendHold {
  /** Resolves once an append to a held stream has written its events and waits to commit. */
  appendIsWaiting(): Promise<void>;
  /** Lets held appends commit. Safe to call twice. */
  release(): Promise<void>;
}

export interface EventStoreHarness {
  readonly store: EventStore;
  readonly holdAppends?: HoldAppends;
  teardown(): Promise<void>;
}

export interface ContractFeatures {
  /** The harness provides `holdAppends`; without it the held-transaction case is reported as skipped. */
  readonly holdAppends: boolean;
  /**
   * An event id stored in one stream is refused in every other (DuplicateEventIdConflict). Defaults
   * to true; EventStoreDB deduplicates ids per stream only, so its run reports these cases as skipped.
   */
  readonly eventIdsUniqueAcrossStreams?: boolean;
}

/** Gives the cases the harness that `beforeAll` built. */
export type HarnessAccess = () => EventStoreHarness;

/**
 * The one suite every EventStore adapter runs (emmett's features.ts, in spirit). `setup` runs once;
 * the cases share the store and keep apart by using fresh stream ids, so an adapter's runner does
 * not need a fresh store per case.
 */
export function describeEventStoreContract(
  name: string,
  setup: () => Promise<EventStoreHarness>,
  features: ContractFeatures,
): void {
  describe(`EventStore contract: ${name}`, () => {
    let harness: EventStoreHarness | undefined;
    const access: HarnessAccess = () => {
      if (!harness) throw new Error('The contract harness is not set up');
      return harness;
    };

    beforeAll(async () => {
      harness = await setup();
    }, 60_000);

    afterAll(async () => {
      await harness?.teardown();
    }, 60_000);

    describeAppendingContract(access, features);
    describeReadingContract(access);
    describeSubscribingContract(access, features);
    describeConcurrencyContract(access);
  });
}
