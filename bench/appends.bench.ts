import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { decide, evolve, GENESIS_HASH, initialState, sealEvents, type SealedEvent, storyStreamId } from '@newsroom/domain';
import { createPostgresEventStore, type EventToAppend, type ExpectedRevision, POSTGRES_APPEND_ONE_STATEMENT } from '@newsroom/event-store';
import { createBenchDatabase } from './support/bench-database';
import { describeFailures, interleavedLoops, type LoopBounds, type LoopResult, type Operation } from './support/closed-loop';
import { onCleanup, runBench } from './support/lifecycle';
import { describeMachine, machineInfo } from './support/machine';
import { logDevelopmentCommand, openStoryCommand } from './support/newsroom-payloads';
import { fixed, printTable, writeResults } from './support/report';
import { cellTiming, envFlag, envInteger } from './support/settings';

/**
 * Event-store appends (one event per append, exact expected revision, each writer its own
 * stream) against the floor PostgreSQL itself sets: one autocommit single-row INSERT of the same
 * JSON through an identical pg Pool, at the same concurrency, in the same run, the two taking turns.
 */

const CONCURRENCY = [1, 8, 32] as const;
const POOL = { connectionTimeoutMillis: 10_000 };
const BASELINE_TABLE = 'bench_baseline_inserts';

/** A DevelopmentLogged exactly as the API seals it, to append again and again under fresh ids. */
function templateEvent(): SealedEvent {
  const storyId = randomUUID();
  const opened = decide(openStoryCommand(storyId), initialState()).reduce(evolve, initialState());
  const [event] = sealEvents({
    streamId: storyStreamId(storyId),
    firstRevision: 1n,
    prevHash: GENESIS_HASH,
    events: decide(logDevelopmentCommand(randomUUID()), opened),
    eventIds: [randomUUID()],
    metadata: { editorId: 'ed-bench-001', correlationId: randomUUID(), causationId: randomUUID(), recordedAt: new Date().toISOString() },
  });
  if (!event) throw new Error('LogDevelopment decided no event');
  return event;
}

interface Cell {
  readonly writers: number;
  readonly baseline: LoopResult;
  readonly appends: LoopResult;
  /** appends events/s divided by baseline inserts/s. */
  readonly ratio: number;
  /** With BENCH_DIAGNOSTICS=1: where the gap between the two comes from. */
  readonly diagnostics?: Readonly<Record<string, LoopResult>>;
}

const INSERT = `INSERT INTO ${BASELINE_TABLE} (payload) VALUES ($1::jsonb)`;

/**
 * Opt-in variants that split the gap between a raw INSERT and an append: the same single-row
 * autocommit INSERT, but into `event_store.events` itself (its three indexes, wider row and JSON
 * checks: the floor the schema sets, without the append statement's head lookup and expected
 * revision check, or the adapter); and the adapter's own one-event append statement sent directly
 * through pg (without the adapter's Node side: grouping, idempotency, notification). Each runs on
 * a pool of its own and takes its turns with the baseline and the appends, so the same load
 * drift hits all of them.
 */
const diagnostics: Readonly<Record<string, (pool: Pool, event: SealedEvent) => Operation>> = {
  'INSERT into events': (pool, event) => async () => {
    await pool.query(
      `INSERT INTO event_store.events (stream_id, stream_revision, event_id, event_type, data, metadata) VALUES ($1, 0, $2, $3, $4::jsonb, $5::jsonb)`,
      [storyStreamId(randomUUID()), randomUUID(), event.type, JSON.stringify(event.data), JSON.stringify(event.metadata)],
    );
    return null;
  },
  'append statement, no adapter': (pool, event) => async () => {
    // A new stream each time, expected no_stream (-1): the head lookup finds nothing, as for a first append.
    const { rows } = await pool.query<{ revision: string | null }>({
      ...POSTGRES_APPEND_ONE_STATEMENT,
      values: [storyStreamId(randomUUID()), '-1', randomUUID(), event.type, JSON.stringify(event.data), JSON.stringify(event.metadata)],
    });
    return rows[0]?.revision === '0' ? null : 'conflict';
  },
};

runBench('appends', async () => {
  const { seconds, warmupSeconds } = cellTiming(5);
  const maxOperations = envInteger('BENCH_MAX_OPERATIONS', 1_000_000);
  /** Turns the baseline and the appends take within a cell (each gets seconds / slices per turn). */
  const slices = envInteger('BENCH_SLICES', 10);
  const withDiagnostics = envFlag('BENCH_DIAGNOSTICS');
  const db = await createBenchDatabase();
  onCleanup(() => db.drop());
  const machine = await machineInfo(db.url);
  console.log(describeMachine(machine));

  const event = templateEvent();
  const dataBytes = Buffer.byteLength(JSON.stringify(event.data));
  const metadataBytes = Buffer.byteLength(JSON.stringify(event.metadata));
  // Serialised per operation, as the adapter serialises each event's data and metadata.
  const payload = (): string => JSON.stringify({ data: event.data, metadata: event.metadata });
  console.log(
    `event: ${event.type}, data ${dataBytes} B + metadata ${metadataBytes} B of JSON; ${seconds} s each for the baseline and the appends per cell, ` +
      `in ${slices} alternating turns, after ${warmupSeconds} s warm-up each`,
  );

  const setup = new Pool({ connectionString: db.url, max: 1 });
  await setup.query(`CREATE TABLE ${BASELINE_TABLE} (id bigserial PRIMARY KEY, payload jsonb NOT NULL)`);
  await setup.end();

  const cells: Cell[] = [];
  for (const writers of CONCURRENCY) {
    const bounds: LoopBounds = { workers: writers, durationMs: seconds * 1000, maxOperations };
    const warmupMs = warmupSeconds * 1000;

    const pool = new Pool({ connectionString: db.url, max: writers, application_name: 'newsroom-bench-baseline', ...POOL });
    const insert: Operation = async () => {
      await pool.query(INSERT, [payload()]);
      return null;
    };
    const store = createPostgresEventStore({ url: db.url, poolSize: writers, applicationName: 'newsroom-bench-appends', connectionTimeoutMs: POOL.connectionTimeoutMillis });
    const streams = Array.from({ length: writers }, (): { id: string; expected: ExpectedRevision } => ({ id: storyStreamId(randomUUID()), expected: 'no_stream' }));
    const append: Operation = async (worker) => {
      const stream = streams[worker];
      if (!stream) throw new Error(`no stream for writer ${worker}`);
      const toAppend: EventToAppend = { eventId: randomUUID(), type: event.type, data: event.data, metadata: event.metadata };
      const result = await store.appendToStream(stream.id, [toAppend], { expectedRevision: stream.expected });
      stream.expected = result.nextExpectedRevision;
      return null;
    };
    const diagnosticPools = withDiagnostics
      ? Object.keys(diagnostics).map(() => new Pool({ connectionString: db.url, max: writers, application_name: 'newsroom-bench-baseline', ...POOL }))
      : [];
    const diagnosticOperations = Object.values(diagnostics).flatMap((operation, i) => {
      const own = diagnosticPools[i];
      return own ? [operation(own, event)] : [];
    });
    // Warm them all up, then measure them in turns: the machine's load drifts over a run, and
    // taking the baseline and the appends seconds apart put that drift into the ratio.
    const operations = [insert, append, ...diagnosticOperations];
    await interleavedLoops({ ...bounds, durationMs: warmupMs }, 1, operations);
    const [baseline, appends, ...diagnosed] = (await interleavedLoops(bounds, slices, operations)) as [LoopResult, LoopResult, ...LoopResult[]];
    await store.close();
    await pool.end();
    for (const own of diagnosticPools) await own.end();

    const extra: Record<string, LoopResult> = {};
    for (const [i, name] of Object.keys(diagnostics).entries()) {
      const result = diagnosed[i];
      if (result) extra[name] = result;
    }
    cells.push({ writers, baseline, appends, ratio: appends.perSecond / baseline.perSecond, ...(withDiagnostics ? { diagnostics: extra } : {}) });
    console.log(`  ${writers} writer(s): baseline ${fixed(baseline.perSecond, 0)}/s, appends ${fixed(appends.perSecond, 0)}/s`);
  }

  printTable(
    'Event-store appends vs raw single-row INSERT (events/s; latency in ms)',
    ['writers', 'INSERT/s', 'p50', 'p99', 'appends/s', 'p50', 'p99', 'ratio', 'errors'],
    cells.map((c) => [
      c.writers,
      fixed(c.baseline.perSecond, 0),
      fixed(c.baseline.latency.p50Ms, 2),
      fixed(c.baseline.latency.p99Ms, 2),
      fixed(c.appends.perSecond, 0),
      fixed(c.appends.latency.p50Ms, 2),
      fixed(c.appends.latency.p99Ms, 2),
      fixed(c.ratio, 2),
      describeFailures({ ...c.baseline.failures, ...c.appends.failures }),
    ]),
  );

  if (withDiagnostics) {
    printTable(
      'Diagnostics: what separates an append from a raw INSERT (operations/s; p99 in ms)',
      ['writers', 'INSERT/s', ...Object.keys(diagnostics).flatMap((name) => [`${name}/s`, 'p99']), 'appends/s'],
      cells.map((c) => [
        c.writers,
        fixed(c.baseline.perSecond, 0),
        ...Object.keys(diagnostics).flatMap((name) => {
          const result = c.diagnostics?.[name];
          return [fixed(result?.perSecond ?? Number.NaN, 0), fixed(result?.latency.p99Ms ?? Number.NaN, 2)];
        }),
        fixed(c.appends.perSecond, 0),
      ]),
    );
  }

  const file = writeResults({
    benchmark: 'appends',
    machine,
    settings: { diagnostics: withDiagnostics, slices, secondsPerCell: seconds, warmupSecondsPerCell: warmupSeconds, maxOperations, concurrency: CONCURRENCY, eventType: event.type, dataBytes, metadataBytes },
    results: cells,
    notes: [
      'Each writer appends one event per call to a stream of its own, with the exact expected revision.',
      'Baseline: one autocommit INSERT of the same JSON into a table with a bigserial id and a jsonb column, through a pg Pool of the same size.',
      `The baseline and the appends (and with BENCH_DIAGNOSTICS=1 the diagnostic variants) are measured in turns (${slices} each per cell, after one warm-up turn each), so load drift during a run hits them alike.`,
      'Pool size = writers in both; the event store holds one connection per append for its transaction.',
    ],
  });
  console.log(`\nwrote ${file}`);
});
