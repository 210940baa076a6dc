import { comparePositions, START_POSITION } from '@newsroom/event-store';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  createPostgresEventStore,
  DuplicateEventIdConflict,
  EventStoreUnavailable,
  ExpectedRevisionConflict,
  postgresEventStoreMigrations,
} from '@newsroom/event-store';
import type { EventToAppend, JsonObject, RecordedEvent } from '@newsroom/event-store';
import type { EventStoreLogger, PostgresEventStore } from '@newsroom/event-store';
import { createTestDatabase } from '../support/test-database';
import type { TestDatabase } from '../support/test-database';
import { eventually, rejectionOf, testEvent, testEvents, uniqueStreamId } from './contract-fixtures';
import { installHoldTrigger, postgresHoldAppends } from './postgres-hold-appends';
import { SubscriptionReader } from './subscription-reader';

/** What only the PostgreSQL adapter has: the reason for transaction ids, its schema, its connections. */

const quietLogger = (): EventStoreLogger & { readonly warnings: string[] } => {
  const warnings: string[] = [];
  return { warnings, warn: (message) => void warnings.push(message) };
};

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('PostgresEventStore on PostgreSQL', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const logger = quietLogger();

  beforeAll(async () => {
    database = await createTestDatabase();
    await installHoldTrigger(database.url);
    // A long safety poll, so live delivery here depends on the LISTEN connection.
    store = createPostgresEventStore({ url: database.url, applicationName: 'specifics', logger, subscription: { safetyPollMs: 60_000 } });
  }, 60_000);

  afterAll(async () => {
    await store.close();
    await database.drop();
  }, 60_000);

  const connectionsOf = (applicationName: string): Promise<number> =>
    withClient(database.url, async (client) => {
      const { rows } = await client.query<{ count: string }>(
        `SELECT count(*)::text AS count FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
        [applicationName],
      );
      return Number(rows[0]?.count);
    });
  const terminate = (applicationName: string): Promise<unknown> =>
    withClient(database.url, (client) => client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [applicationName]));

  describe('an append whose transaction commits after a later one', () => {
    it('is skipped by a naive global_position poll but delivered by the subscription, before the later event', async () => {
      const holdAppends = postgresHoldAppends(database.url);
      const run = uniqueStreamId('naive');
      const warmUp = await store.appendToStream(`free-${run}-warm-up`, [testEvent()]);
      const naivePoll = (after: bigint): Promise<bigint[]> =>
        withClient(database.url, async (client) => {
          const { rows } = await client.query<{ global_position: string }>(
            `SELECT global_position::text FROM event_store.events WHERE global_position > $1 ORDER BY global_position`,
            [after.toString()],
          );
          return rows.map((row) => BigInt(row.global_position));
        });

      const hold = await holdAppends.hold();
      let heldAppend: ReturnType<typeof store.appendToStream> | undefined;
      const [held, later] = [testEvent(), testEvent()];
      let lastSeenByNaivePoll: bigint;
      try {
        heldAppend = store.appendToStream(`${holdAppends.streamPrefix}${run}`, [held]);
        await hold.appendIsWaiting();
        const laterResult = await store.appendToStream(`free-${run}`, [later]);
        const seen = await naivePoll(warmUp.position.prepare);
        expect(seen).toEqual([laterResult.position.prepare]);
        lastSeenByNaivePoll = laterResult.position.prepare;
      } finally {
        await hold.release();
      }
      const heldResult = await heldAppend;

      expect(heldResult.position.prepare).toBeLessThan(lastSeenByNaivePoll);
      expect(await naivePoll(lastSeenByNaivePoll)).toEqual([]);
      const reader = new SubscriptionReader(store.subscribeToAll({ fromPosition: warmUp.position, streamPrefixes: [`free-${run}`, `held-${run}`] }));
      try {
        expect((await reader.collect(2, 10_000)).map((event) => event.eventId)).toEqual([held.eventId, later.eventId]);
      } finally {
        await reader.close();
      }
    }, 30_000);
  });

  describe('a subscriber held back by a transaction that is not an append', () => {
    it('delivers soon after it ends, without waiting for a notification or the safety poll', async () => {
      const prefix = uniqueStreamId('xmin');
      const reader = new SubscriptionReader(store.subscribeToAll({ streamPrefixes: [prefix] }));
      const other = new Client({ connectionString: database.url });
      await other.connect();
      try {
        await reader.expectNothingWithin(0);
        await other.query('BEGIN');
        await other.query('SELECT pg_current_xact_id()');
        const event = testEvent();
        await store.appendToStream(`${prefix}-a`, [event]);
        await reader.expectNothingWithin(300);

        await other.query('COMMIT');

        expect((await reader.collect(1, 2_000)).map((delivered) => delivered.eventId)).toEqual([event.eventId]);
      } finally {
        await other.end();
        await reader.close();
      }
    }, 30_000);
  });

  describe('a transaction of another database on the same server', () => {
    it('holds back neither the subscriber nor headPosition: it can never write here', async () => {
      const elsewhere = await createTestDatabase({ migrate: false });
      const prefix = uniqueStreamId('elsewhere');
      const reader = new SubscriptionReader(store.subscribeToAll({ streamPrefixes: [prefix] }));
      const other = new Client({ connectionString: elsewhere.url });
      await other.connect();
      try {
        await reader.expectNothingWithin(0);
        await other.query('BEGIN');
        await other.query('SELECT pg_current_xact_id()');
        const event = testEvent();
        const appended = await store.appendToStream(`${prefix}-a`, [event]);

        // Still open: only transactions of other tests in THIS database could delay these.
        expect((await reader.collect(1, 10_000)).map((delivered) => delivered.eventId)).toEqual([event.eventId]);
        await eventually(async () => expect(await store.headPosition()).toEqual(appended.position), 10_000);
        await other.query('COMMIT');
      } finally {
        await other.end();
        await reader.close();
        await elsewhere.drop();
      }
    }, 60_000);
  });

  describe('headPosition while an older transaction is still running', () => {
    it('stays below it, then moves past both once it commits', async () => {
      const holdAppends = postgresHoldAppends(database.url);
      const run = uniqueStreamId('head');
      const before = await store.appendToStream(`free-${run}-before`, [testEvent()]);
      const hold = await holdAppends.hold();
      let heldAppend: ReturnType<typeof store.appendToStream> | undefined;
      try {
        heldAppend = store.appendToStream(`${holdAppends.streamPrefix}${run}`, [testEvent()]);
        await hold.appendIsWaiting();
        await store.appendToStream(`free-${run}-after`, [testEvent()]);

        // At most `before`: never past the held append. (Lower is possible while a transaction of
        // another test in this database is still open.)
        const head = await store.headPosition();
        expect(head === null || comparePositions(head, before.position) <= 0).toBe(true);
      } finally {
        await hold.release();
      }
      await heldAppend;
      const after = await store.appendToStream(`free-${run}-last`, [testEvent()]);
      await eventually(async () => expect(await store.headPosition()).toEqual(after.position), 20_000);
    }, 30_000);
  });

  describe('readAllForwards (the bulk reader of a rebuild)', () => {
    it('pages through the log in global order, after the start up to and including the end, at most maxCount at a time', async () => {
      const run = uniqueStreamId('pages');
      const first = await store.appendToStream(`free-${run}-a`, testEvents(3));
      await store.appendToStream(`free-${run}-b`, testEvents(4));
      const end = await store.appendToStream(`free-${run}-a`, testEvents(2), { expectedRevision: 2n });
      await store.appendToStream(`free-${run}-c`, testEvents(1));
      // The first append's last event; the span after it holds the 4 + 2 events written next.
      const pages: string[][] = [];
      let after = first.position;
      for (;;) {
        const page = await store.readAllForwards({ after, through: end.position, maxCount: 4 });
        if (page.length === 0) break;
        pages.push(page.map((e) => `${e.streamId.slice(-1)}${e.revision}`));
        after = (page.at(-1) as RecordedEvent).position;
      }
      expect(pages).toEqual([
        ['b0', 'b1', 'b2', 'b3'],
        ['a3', 'a4'],
      ]);
      expect(comparePositions(after, end.position)).toBe(0);
      const whole = await store.readAllForwards({ after: START_POSITION, through: end.position, maxCount: 1_000_000 });
      expect(whole.filter((e) => e.streamId.startsWith(`free-${run}`))).toHaveLength(9);
      expect(whole.every((e, i) => i === 0 || comparePositions((whole[i - 1] as RecordedEvent).position, e.position) < 0)).toBe(true);
      await expect(store.readAllForwards({ after: START_POSITION, through: end.position, maxCount: 0 })).rejects.toThrow('maxCount');
    });
  });

  describe('the events table', () => {
    it.each([
      ['UPDATE', `UPDATE event_store.events SET event_type = 'Tampered'`],
      ['DELETE', `DELETE FROM event_store.events`],
      ['TRUNCATE', `TRUNCATE event_store.events`],
    ])('rejects %s', async (operation, sql) => {
      await store.appendToStream(uniqueStreamId('append-only'), [testEvent()]);
      const error = await rejectionOf(withClient(database.url, (client) => client.query(sql)));
      expect(error).toMatchObject({ message: `event_store.events is append-only: ${operation} is not allowed` });
    });
  });

  describe('appends that arrive together (group commit)', () => {
    /** One statement at a time: the first append runs alone, everything sent meanwhile goes as one group. */
    let grouping: PostgresEventStore;
    beforeAll(() => {
      grouping = createPostgresEventStore({ url: database.url, applicationName: 'specifics-groups', logger, appendGroups: { maxInFlight: 1 } });
    });
    afterAll(() => grouping.close());

    type Settled<T> = { value: T } | { error: unknown };
    const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
      promise.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
    const valueOf = <T>(settled: Settled<T> | undefined): T => {
      if (!settled || !('value' in settled)) throw new Error(`expected a result, got ${String(settled && settled.error)}`);
      return settled.value;
    };
    const errorOf = (settled: Settled<unknown> | undefined): unknown => {
      if (!settled || !('error' in settled)) throw new Error('expected an error, got a result');
      return settled.error;
    };

    it('to different streams share one statement and one transaction', async () => {
      const blocker = grouping.appendToStream(uniqueStreamId('group-blocker'), [testEvent()]);
      const grouped = await Promise.all([
        grouping.appendToStream(uniqueStreamId('group-a'), [testEvent()], { expectedRevision: 'no_stream' }),
        grouping.appendToStream(uniqueStreamId('group-b'), [testEvent(), testEvent()]),
        grouping.appendToStream(uniqueStreamId('group-c'), [testEvent()], { expectedRevision: 'any' }),
      ]);
      await blocker;

      expect(grouped.map((result) => result.nextExpectedRevision)).toEqual([0n, 1n, 0n]);
      expect(new Set(grouped.map((result) => result.position.commit)).size).toBe(1);
      const prepares = grouped.map((result) => result.position.prepare);
      expect([...prepares].sort((a, b) => Number(a - b))).toEqual(prepares);
    });

    it('each get their own outcome: written, conflicting, a retry, a stolen id, the same stream again', async () => {
      const existing = uniqueStreamId('group-existing');
      const retried = uniqueStreamId('group-retried');
      const fresh = uniqueStreamId('group-fresh');
      const stolen = uniqueStreamId('group-stolen');
      await grouping.appendToStream(existing, [testEvent()]);
      const stored = testEvent({ stored: true });
      const original = await grouping.appendToStream(retried, [stored]);

      const blocker = grouping.appendToStream(uniqueStreamId('group-blocker'), [testEvent()]);
      const [ok, conflict, retry, duplicate, sameStreamAgain] = await Promise.all([
        settle(grouping.appendToStream(fresh, [testEvent({ n: 0 }), testEvent({ n: 1 })], { expectedRevision: 'no_stream' })),
        settle(grouping.appendToStream(existing, [testEvent()], { expectedRevision: 5n })),
        settle(grouping.appendToStream(retried, [stored])),
        settle(grouping.appendToStream(stolen, [stored])),
        settle(grouping.appendToStream(fresh, [testEvent({ n: 2 })], { expectedRevision: 1n })),
      ]);
      await blocker;

      expect(valueOf(ok).nextExpectedRevision).toBe(1n);
      // The same stream again waits for the next statement, which sees the first committed.
      expect(valueOf(sameStreamAgain).nextExpectedRevision).toBe(2n);
      expect(valueOf(sameStreamAgain).position.commit).toBeGreaterThan(valueOf(ok).position.commit);

      expect(errorOf(conflict)).toBeInstanceOf(ExpectedRevisionConflict);
      expect(errorOf(conflict)).toMatchObject({ streamId: existing, actual: 0n });
      expect(valueOf(retry)).toEqual(original);
      expect(errorOf(duplicate)).toBeInstanceOf(DuplicateEventIdConflict);

      expect((await grouping.readStream(fresh)).map((event) => event.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
      expect(await grouping.readStream(existing)).toHaveLength(1);
      await expect(grouping.readStream(stolen)).rejects.toThrow();
    });

    it('keep every character of their data and metadata, however the JSON texts travel', async () => {
      // Quotes, backslashes, the separator the group joins texts with (U+0001, escaped by
      // JSON.stringify), other control characters, commas and braces of an array literal, non-ASCII.
      const awkward = ['"quoted" \\ back\\slash', 'sep\u0001arated', 'tab\tnew\nline\r', '{a,b} "NULL" NULL', 'Kyiv — Київ 🛰', ''];
      const streams = awkward.map(() => uniqueStreamId('group-awkward'));
      const blocker = grouping.appendToStream(uniqueStreamId('group-blocker'), [testEvent()]);
      const written = await Promise.all(
        streams.map((stream, index) =>
          grouping.appendToStream(stream, [{ ...testEvent({ text: awkward[index] ?? '' }), metadata: { note: awkward.at(-1 - index) ?? '' } }]),
        ),
      );
      await blocker;

      // One group, so the texts went through the grouped statement.
      expect(new Set(written.map((result) => result.position.commit)).size).toBe(1);
      for (const [index, stream] of streams.entries()) {
        const [event] = await grouping.readStream(stream);
        expect(event?.data).toEqual({ text: awkward[index] });
        expect(event?.metadata).toMatchObject({ note: awkward.at(-1 - index) });
      }
    });

    it('are written one by one when the group fails as a whole, so only the bad append fails', async () => {
      const streams = [uniqueStreamId('group-good'), uniqueStreamId('group-bad'), uniqueStreamId('group-good')];
      // Not an object: the events table's check constraint fails the whole statement.
      const bad: EventToAppend = { ...testEvent(), data: ['not', 'an', 'object'] as unknown as JsonObject };

      const blocker = grouping.appendToStream(uniqueStreamId('group-blocker'), [testEvent()]);
      const outcomes = await Promise.all(
        streams.map((stream, index) => settle(grouping.appendToStream(stream, [index === 1 ? bad : testEvent({ index })]))),
      );
      await blocker;

      expect(valueOf(outcomes[0]).nextExpectedRevision).toBe(0n);
      expect(errorOf(outcomes[1])).toBeInstanceOf(Error);
      expect(valueOf(outcomes[2]).nextExpectedRevision).toBe(0n);
      expect((await grouping.readStream(streams[0] ?? '')).map((event) => event.data)).toEqual([{ index: 0 }]);
      expect((await grouping.readStream(streams[2] ?? '')).map((event) => event.data)).toEqual([{ index: 2 }]);
      await expect(grouping.readStream(streams[1] ?? '')).rejects.toThrow();
    });
  });

  describe('appends to one stream from several stores at once, as from several processes', () => {
    // Each store runs one append per stream at a time; between stores nothing waits for anything,
    // so their statements race on the stream's next revision and the unique index decides.
    const STORES = 4;
    const APPENDS_PER_STORE = 15;
    let others: PostgresEventStore[];
    beforeAll(() => {
      others = Array.from({ length: STORES }, (_, index) => createPostgresEventStore({ url: database.url, applicationName: `specifics-racer-${index}`, logger }));
    });
    afterAll(() => Promise.all(others.map((other) => other.close())));

    it('with expectedRevision any: all succeed at contiguous revisions, and a subscriber sees the stream in revision order', async () => {
      const streamId = uniqueStreamId('raced-any');
      const reader = new SubscriptionReader(store.subscribeToAll({ streamPrefixes: [streamId] }));
      try {
        const results = await Promise.all(
          others.flatMap((other) => Array.from({ length: APPENDS_PER_STORE }, () => other.appendToStream(streamId, testEvents(2)))),
        );

        const total = STORES * APPENDS_PER_STORE * 2;
        expect(results.map((result) => Number(result.nextExpectedRevision)).sort((a, b) => a - b)).toEqual(
          Array.from({ length: STORES * APPENDS_PER_STORE }, (_, index) => index * 2 + 1),
        );
        const stored = await store.readStream(streamId);
        expect(stored.map((event) => event.revision)).toEqual(Array.from({ length: total }, (_, index) => BigInt(index)));
        // Revision order is global order: the subscription delivers them in exactly this order.
        const delivered = await reader.collect(total, 10_000);
        expect(delivered.map((event) => event.eventId)).toEqual(stored.map((event) => event.eventId));
        expect(stored.every((event, index) => index === 0 || comparePositions(stored[index - 1]?.position ?? event.position, event.position) === -1)).toBe(true);
      } finally {
        await reader.close();
      }
    }, 30_000);

    it('with the same exact revision: exactly one is accepted, the others conflict with the actual revision', async () => {
      const streamId = uniqueStreamId('raced-exact');
      await store.appendToStream(streamId, [testEvent()], { expectedRevision: 'no_stream' });
      const attempts = others.flatMap((other) => Array.from({ length: 5 }, () => ({ other, events: testEvents(2) })));

      const outcomes = await Promise.allSettled(attempts.map(({ other, events }) => other.appendToStream(streamId, events, { expectedRevision: 0n })));

      const accepted = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [index] : []));
      expect(accepted).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ constructor: ExpectedRevisionConflict, streamId, expected: 0n, actual: 2n });
      }
      const winner = attempts[accepted[0] ?? -1]?.events ?? [];
      expect((await store.readStream(streamId)).map((event) => event.eventId).slice(1)).toEqual(winner.map((event) => event.eventId));
    }, 30_000);

    it('with the same events: written once, and every store gets the original result', async () => {
      const streamId = uniqueStreamId('raced-retry');
      const events = testEvents(3);

      const results = await Promise.all(others.map((other) => other.appendToStream(streamId, events, { expectedRevision: 'no_stream' })));

      for (const result of results) expect(result).toEqual(results[0]);
      expect((await store.readStream(streamId)).map((event) => event.eventId)).toEqual(events.map((event) => event.eventId));
    }, 30_000);
  });

  describe('the LISTEN connection', () => {
    const listeners = (): Promise<number> => connectionsOf('specifics-listener');

    it('is reconnected after it is dropped, and live events keep arriving', async () => {
      const prefix = uniqueStreamId('reconnect');
      const reader = new SubscriptionReader(store.subscribeToAll({ streamPrefixes: [prefix] }));
      try {
        await store.appendToStream(`${prefix}-a`, [testEvent()]);
        await reader.collect(1, 5_000);

        await terminate('specifics-listener');
        const afterDrop = testEvent();
        await store.appendToStream(`${prefix}-a`, [afterDrop]);

        expect((await reader.collect(1, 5_000)).map((event) => event.eventId)).toEqual([afterDrop.eventId]);
        expect(logger.warnings.some((warning) => warning.includes('connection lost'))).toBe(true);
        await eventually(async () => expect(await listeners()).toBe(1), 5_000);
      } finally {
        await reader.close();
      }
    }, 30_000);

    it('is released when the subscription closes', async () => {
      const reader = new SubscriptionReader(store.subscribeToAll({ streamPrefixes: [uniqueStreamId('release')] }));
      const pending = reader.isDone(10_000);
      await eventually(async () => expect(await listeners()).toBe(1), 5_000);

      await reader.close();

      expect(await pending).toBe(true);
      await eventually(async () => expect(await listeners()).toBe(0), 5_000);
    }, 30_000);
  });

  describe('the notification connection', () => {
    it('is its own: with a pool of one connection, appends and notifications do not queue behind each other', async () => {
      const single = createPostgresEventStore({ url: database.url, poolSize: 1, applicationName: 'single-slot', logger });
      const prefix = uniqueStreamId('single-slot');
      const reader = new SubscriptionReader(store.subscribeToAll({ streamPrefixes: [prefix] }));
      try {
        // Readers and polls of the subscription above use `store`'s pool, not this one.
        for (let i = 0; i < 20; i += 1) await single.appendToStream(`${prefix}-a`, [testEvent()]);
        expect(await reader.collect(20, 5_000)).toHaveLength(20);
        expect(await connectionsOf('single-slot-notifier')).toBe(1);
        expect(await connectionsOf('single-slot')).toBe(1);
      } finally {
        await reader.close();
        await single.close();
      }
      await eventually(async () => expect(await connectionsOf('single-slot-notifier')).toBe(0), 5_000);
    }, 30_000);

    it('carries at most one notification per interval, and one after the last append', async () => {
      const spaced = createPostgresEventStore({ url: database.url, applicationName: 'spaced', logger, notifyIntervalMs: 100 });
      const listener = new Client({ connectionString: database.url });
      await listener.connect();
      const received: number[] = [];
      listener.on('notification', () => void received.push(performance.now()));
      await listener.query('LISTEN event_store_appended');
      try {
        const started = performance.now();
        for (let i = 0; i < 30; i += 1) await spaced.appendToStream(`${uniqueStreamId('spaced')}-${i}`, [testEvent()]);
        const lastAppended = performance.now();
        // Other tests' stores may notify too; this store alone would send 30 without spacing.
        await eventually(() => Promise.resolve(expect(received.some((at) => at >= lastAppended)).toBe(true)), 5_000);
        const ours = received.filter((at) => at >= started);
        expect(ours.length).toBeLessThanOrEqual(Math.ceil((performance.now() - started) / 100) + 1);
      } finally {
        await listener.end();
        await spaced.close();
      }
    }, 30_000);

    it('is opened again after it is dropped, and subscribers are still woken without the safety poll', async () => {
      const prefix = uniqueStreamId('notifier-reconnect');
      const reader = new SubscriptionReader(store.subscribeToAll({ streamPrefixes: [prefix] }));
      try {
        await store.appendToStream(`${prefix}-a`, [testEvent()]);
        await reader.collect(1, 5_000);
        await terminate('specifics-notifier');
        await eventually(async () => expect(await connectionsOf('specifics-notifier')).toBe(0), 5_000);

        // The first append after the drop may find the dead connection (warned, found by the next
        // poll); the ones after it go over a new connection.
        const later = [testEvent(), testEvent(), testEvent()];
        for (const event of later) await store.appendToStream(`${prefix}-a`, [event]);
        // The safety poll is a minute away: only notifications can deliver these in 5 s.
        expect((await reader.collect(3, 5_000)).map((event) => event.eventId)).toEqual(later.map((event) => event.eventId));
        await eventually(async () => expect(await connectionsOf('specifics-notifier')).toBe(1), 5_000);
      } finally {
        await reader.close();
      }
    }, 30_000);
  });
});

describe('PostgresEventStore on an empty database', () => {
  it('has no head position', async () => {
    const database = await createTestDatabase();
    const store = createPostgresEventStore({ url: database.url });
    try {
      expect(await store.headPosition()).toBeNull();
    } finally {
      await store.close();
      await database.drop();
    }
  }, 30_000);
});

describe('PostgresEventStore when PostgreSQL cannot be reached', () => {
  const unreachable = 'postgres://postgres@127.0.0.1:1/none';

  it('reports EventStoreUnavailable from appends, reads and subscriptions', async () => {
    const logger = quietLogger();
    const store = createPostgresEventStore({ url: unreachable, logger, connectionTimeoutMs: 2_000 });
    try {
      await expect(store.appendToStream(uniqueStreamId('story'), [testEvent()])).rejects.toBeInstanceOf(EventStoreUnavailable);
      await expect(store.readStream(uniqueStreamId('story'))).rejects.toBeInstanceOf(EventStoreUnavailable);
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailable);
      const subscription = store.subscribeToAll();
      await expect(subscription[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(EventStoreUnavailable);
    } finally {
      await store.close();
    }
  }, 30_000);
});

describe('the event store migration', () => {
  it('creates the event_store schema, and its down migrations remove it all', async () => {
    const database = await createTestDatabase({ migrate: false });
    const dataSource = new DataSource({ type: 'postgres', url: database.url, migrations: postgresEventStoreMigrations, logging: ['error'] });
    const schemaObjects = (): Promise<string[]> =>
      dataSource
        .query<{ name: string }[]>(
          `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'event_store'
           UNION ALL SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'event_store'
           UNION ALL SELECT nspname FROM pg_namespace WHERE nspname = 'event_store'
           ORDER BY 1`,
        )
        .then((rows) => rows.map((row) => row.name));
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
      expect(await schemaObjects()).toEqual(
        expect.arrayContaining([
          'event_store',
          'events',
          'events_event_id_key',
          'events_pkey',
          'events_stream_id_stream_revision_key',
          'reject_event_mutation',
          'append_to_stream',
          'append_to_streams',
          'append_group',
          'streams',
        ]),
      );

      for (const _migration of postgresEventStoreMigrations) await dataSource.undoLastMigration();

      expect(await schemaObjects()).toEqual([]);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  }, 30_000);
});
