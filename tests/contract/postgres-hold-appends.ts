import { Client } from 'pg';
import type { AppendHold, HoldAppends } from './event-store.contract';

/** An advisory lock key of the tests' own; appends never lock it. */
const HOLD_LOCK_KEY = 7_270_001;
const HELD_PREFIX = 'held-';

/**
 * Test-only, in a throwaway database: an AFTER INSERT trigger makes every append to a 'held-'
 * stream take a shared advisory lock after it has written, so while a test holds the lock
 * exclusively that transaction has its id and rows but cannot commit.
 */
export async function installHoldTrigger(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      CREATE FUNCTION public.test_hold_append() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF starts_with(NEW.stream_id, '${HELD_PREFIX}') THEN
          PERFORM pg_advisory_xact_lock_shared(${HOLD_LOCK_KEY});
        END IF;
        RETURN NULL;
      END;
      $$`);
    await client.query(`
      CREATE TRIGGER test_hold_append AFTER INSERT ON event_store.events
      FOR EACH ROW EXECUTE FUNCTION public.test_hold_append()`);
  } finally {
    await client.end();
  }
}

export function postgresHoldAppends(url: string): HoldAppends {
  return {
    streamPrefix: HELD_PREFIX,
    async hold(): Promise<AppendHold> {
      const client = new Client({ connectionString: url, application_name: 'test-hold-appends' });
      await client.connect();
      await client.query('SELECT pg_advisory_lock($1)', [HOLD_LOCK_KEY]);
      let released = false;
      return {
        async appendIsWaiting() {
          for (;;) {
            // A bigint advisory key shows up as classid = high half, objid = low half, objsubid = 1.
            const { rows } = await client.query<{ waiting: boolean }>(
              `SELECT EXISTS (
                 SELECT 1 FROM pg_locks
                 WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1
                   AND classid = ($1::bigint >> 32)::oid AND objid = ($1::bigint & 4294967295)::oid
                   AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
               ) AS waiting`,
              [HOLD_LOCK_KEY],
            );
            if (rows[0]?.waiting) return;
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        },
        async release() {
          if (released) return;
          released = true;
          await client.query('SELECT pg_advisory_unlock($1)', [HOLD_LOCK_KEY]);
          await client.end();
        },
      };
    },
  };
}
