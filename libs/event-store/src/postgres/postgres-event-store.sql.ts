/**
 * The adapter's SQL. Everything bigint-like leaves PostgreSQL as text and is parsed in
 * event-rows.ts, so the adapter is independent of pg's global type parsers.
 */

export const APPENDED_CHANNEL = 'event_store_appended';

export const EVENT_COLUMNS = `
  e.global_position::text AS global_position,
  e.transaction_id::text AS transaction_id,
  e.stream_id,
  e.stream_revision::text AS stream_revision,
  e.event_id::text AS event_id,
  e.event_type,
  e.data::text AS data,
  e.metadata::text AS metadata,
  floor(extract(epoch FROM e.created_at) * 1000)::text AS created_at_ms`;

/**
 * Expected revisions as the append statements take them: an exact revision as itself, the rest as
 * negative numbers a revision can never be.
 */
export const EXPECTED_ANY = '-2';
export const EXPECTED_NO_STREAM = '-1';
export const EXPECTED_STREAM_EXISTS = '-3';

/**
 * One append of one event, the common case, as a prepared statement: $1 stream id, $2 expected
 * revision (see EXPECTED_ANY), $3 event id, $4 type, $5 data, $6 metadata (JSON text). One row:
 * the stream's revision before (-1 for none), and its new revision and position when the event was
 * written (null when the expected revision did not hold).
 *
 * No lock and no event-id probe: the unique indexes reject a stored event id or a revision taken
 * meanwhile, and the caller sorts those out. It stays gap-safe because the head is read from the
 * statement's snapshot, before the insert assigns the transaction id; the full argument is in the
 * migration 1764001100000-append-without-locks, which does the same for a group.
 */
export const APPEND_ONE = {
  name: 'event-store-append-one',
  text: `
  WITH head AS MATERIALIZED (
    SELECT COALESCE((
      SELECT e.stream_revision FROM event_store.events e WHERE e.stream_id = $1 ORDER BY e.stream_revision DESC LIMIT 1
    ), -1) AS actual
  ), inserted AS (
    INSERT INTO event_store.events (stream_id, stream_revision, event_id, event_type, data, metadata)
    SELECT $1, h.actual + 1, $3::uuid, $4, $5::jsonb, $6::jsonb
    FROM head h
    WHERE $2::bigint = -2 OR h.actual = $2::bigint OR ($2::bigint = -3 AND h.actual >= 0)
    RETURNING events.stream_revision, events.transaction_id, events.global_position
  )
  SELECT 1 AS append_index, h.actual::text AS actual, i.stream_revision::text AS revision,
    i.transaction_id::text AS transaction_id, i.global_position::text AS global_position
  FROM head h LEFT JOIN inserted i ON true`,
} as const;

/**
 * Joins the JSON texts of a group's data (or metadata) into one parameter, split again by
 * APPEND_GROUP. JSON.stringify writes every control character inside a string as an escape, so
 * U+0001 never occurs in its output. As a text[] parameter, node-postgres would escape every
 * quote of every JSON text for the array literal and PostgreSQL would parse it back character by
 * character; the split is a plain search for one byte (docs/PERFORMANCE.md, section 1).
 */
export const JSON_TEXTS_SEPARATOR = '\u0001';

/**
 * Any other appends, several streams (distinct) in one statement and one commit: $1 stream ids,
 * $2 expected revisions, one per append; $3 the 1-based append each event belongs to, $4 its
 * 1-based place in that append, $5..$6 ids and types, $7..$8 data and metadata (JSON texts joined
 * by JSON_TEXTS_SEPARATOR), events in append order. One row per append, shaped as APPEND_ONE's
 * (migration 1764001100000-append-without-locks). An element missing from a joined text leaves
 * that event's column null, which `events` refuses: the statement fails, nothing is written.
 */
export const APPEND_GROUP = {
  name: 'event-store-append-group',
  text: `
  SELECT append_index, actual, revision, transaction_id, global_position
  FROM event_store.append_group($1::text[], $2::bigint[], $3::integer[], $4::integer[], $5::uuid[], $6::text[],
    string_to_array($7::text, E'\\x01'), string_to_array($8::text, E'\\x01'))`,
} as const;

/** $1 event ids, $2 types, $3 data, $4 metadata (JSON text), in append order. */
export const FIND_STORED_EVENTS = `
  SELECT
    (i.ordinal - 1)::text AS index,
    e.event_id::text AS event_id,
    e.stream_id,
    e.stream_revision::text AS stream_revision,
    e.transaction_id::text AS transaction_id,
    e.global_position::text AS global_position,
    (e.event_type = i.event_type AND e.data = i.data::jsonb AND e.metadata = i.metadata::jsonb) AS same_content
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
    WITH ORDINALITY AS i(event_id, event_type, data, metadata, ordinal)
  JOIN event_store.events e ON e.event_id = i.event_id
  ORDER BY i.ordinal`;

/**
 * The stream's revision and the position of its last event: the last entry of the stream in the
 * (stream, revision) index.
 */
export const STREAM_HEAD = `
  SELECT e.stream_revision::text AS revision, e.transaction_id::text AS transaction_id, e.global_position::text AS global_position
  FROM event_store.events e
  WHERE e.stream_id = $1
  ORDER BY e.stream_revision DESC
  LIMIT 1`;

/** $1 stream id, $2 first revision (inclusive), $3 max count (null: all). */
export const READ_STREAM_FORWARDS = `
  SELECT ${EVENT_COLUMNS}
  FROM event_store.events e
  WHERE e.stream_id = $1 AND e.stream_revision >= $2::bigint
  ORDER BY e.stream_revision
  LIMIT $3`;

/** Like READ_STREAM_FORWARDS, $2 null meaning the end of the stream. */
export const READ_STREAM_BACKWARDS = `
  SELECT ${EVENT_COLUMNS}
  FROM event_store.events e
  WHERE e.stream_id = $1 AND ($2::bigint IS NULL OR e.stream_revision <= $2::bigint)
  ORDER BY e.stream_revision DESC
  LIMIT $3`;

/**
 * The horizon: the oldest transaction still running that could write to THIS database, as seen
 * by the statement's snapshot. Every transaction below it has finished, and any that commits
 * later has an id at or above it. So rows below it, read in (transaction_id, global_position)
 * order after the cursor, can never be preceded by a row that shows up later. Rows at or above
 * it wait for the next poll.
 *
 * Transaction ids are server-wide, so the snapshot's xmin alone also waits for transactions of
 * OTHER databases on the server, which can never write here (a backend is bound to one database
 * for its life): a long transaction elsewhere showed up as projection lag. So the horizon is the
 * lowest id of the snapshot's in-progress list (pg_snapshot_xip) that is not positively known to
 * belong to another database, or the snapshot's xmax when none is left. An id is "known" when
 * pg_stat_activity shows a backend of another database with it as its top-level xid: ids are never
 * reused, so that fact holds whenever it was read. Everything not identified (a backend that has
 * since finished, a prepared transaction, a hidden row) still holds the horizon back, exactly as
 * before: the horizon is never above the old one except by ids of other databases.
 */
const HORIZON = `
  SELECT COALESCE(
    (SELECT min(x) FROM pg_snapshot_xip(snap.s) AS x
      WHERE NOT EXISTS (
        SELECT 1 FROM pg_stat_activity a
        WHERE a.backend_xid = xid(x)
          AND a.datid IS NOT NULL
          AND a.datid <> (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
      )),
    pg_snapshot_xmax(snap.s)
  ) AS xmin
  FROM (SELECT pg_current_snapshot() AS s) AS snap`;

/**
 * A batch after the cursor, below the horizon (see HORIZON for why that is gap-safe).
 *
 * $1/$2 cursor (exclusive), $3 batch size, $4 stream prefixes (empty: all streams).
 * Returns one row per event in the window; `matches` false rows carry no payload but still move
 * the cursor, so a filtered subscription does not rescan what it skipped. `pending` says whether
 * committed events wait behind a running transaction. With an empty window, one row of nulls
 * still carries `pending`.
 */
export const READ_ALL_BATCH = `
  WITH horizon AS MATERIALIZED (${HORIZON}
  ), batch AS (
    SELECT e.*
    FROM event_store.events e
    WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
      AND e.transaction_id < (SELECT xmin FROM horizon)
    ORDER BY e.transaction_id, e.global_position
    LIMIT $3
  )
  SELECT
    COALESCE((
      -- The newest visible row, by the index: a plain EXISTS over transaction_id >= xmin can be planned as a full scan.
      SELECT newest.transaction_id >= (SELECT xmin FROM horizon)
      FROM event_store.events newest
      ORDER BY newest.transaction_id DESC, newest.global_position DESC
      LIMIT 1
    ), false) AS pending,
    (cardinality($4::text[]) = 0
      OR EXISTS (SELECT 1 FROM unnest($4::text[]) AS f(prefix) WHERE starts_with(e.stream_id, f.prefix))) AS matches,
    ${EVENT_COLUMNS}
  FROM (SELECT 1) AS always_one_row
  LEFT JOIN batch e ON true
  ORDER BY e.transaction_id, e.global_position`;

/**
 * A page of the log for a bulk reader: $1/$2 exclusive start, $3/$4 inclusive end (a head
 * position: every transaction at or below it has ended, so the span is complete and fixed), $5
 * the most rows. A plain keyset range on the (transaction_id, global_position) index, without
 * the horizon READ_ALL_BATCH computes for a live subscription.
 */
export const READ_ALL_RANGE = `
  SELECT ${EVENT_COLUMNS}
  FROM event_store.events e
  WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
    AND (e.transaction_id, e.global_position) <= ($3::xid8, $4::bigint)
  ORDER BY e.transaction_id, e.global_position
  LIMIT $5`;

/** The newest event no running transaction can still precede: the end of what subscribers see. */
export const HEAD_POSITION = `
  WITH horizon AS MATERIALIZED (${HORIZON})
  SELECT e.transaction_id::text AS transaction_id, e.global_position::text AS global_position
  FROM event_store.events e
  WHERE e.transaction_id < (SELECT xmin FROM horizon)
  ORDER BY e.transaction_id DESC, e.global_position DESC
  LIMIT 1`;
