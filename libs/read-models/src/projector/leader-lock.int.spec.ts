import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
// Test support crosses the lib boundary on purpose: it owns the throwaway databases.
import { eventually } from '../../../../tests/support/read-models';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import { LeaderLock, PROJECTOR_LOCK_KEY } from './leader-lock';

jest.setTimeout(20_000);

let db: TestDatabase;
let admin: Client;
const locks: LeaderLock[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  admin = new Client({ connectionString: db.url });
  await admin.connect();
});
afterEach(async () => {
  await Promise.all(locks.splice(0).map((lock) => lock.release()));
});
afterAll(async () => {
  await admin.end();
  await db.drop();
});

function lock(applicationName = `lock-${randomUUID().slice(0, 8)}`): LeaderLock {
  const created = new LeaderLock({ url: db.url, key: PROJECTOR_LOCK_KEY, applicationName, retryMs: 50, heartbeatMs: 100 });
  locks.push(created);
  return created;
}

describe('the projector lock', () => {
  it('goes to the first instance; a second waits as a standby and takes over when the first lets go', async () => {
    const leader = lock();
    const standby = lock();
    expect(await leader.acquire()).toBe(true);
    let standbyLeads = false;
    const waiting = standby.acquire().then((acquired) => (standbyLeads = acquired));
    // Several tries by the standby pass while the leader holds on.
    await eventually(async () => {
      const [row] = await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_locks
          WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).then((r) => r.rows);
      return row?.n === '1';
    }, 'the lock to be held once');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(standbyLeads).toBe(false);

    await leader.release();
    await waiting;
    expect(standbyLeads).toBe(true);
    expect(standby.isLeader).toBe(true);
  });

  it('tells the leader at once when its lock connection is gone, so it can stop', async () => {
    const name = `lock-lost-${randomUUID().slice(0, 8)}`;
    const leader = lock(name);
    expect(await leader.acquire()).toBe(true);
    const lost = new Promise<unknown>((resolve) => leader.onLost(resolve));
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [name]);
    await expect(lost).resolves.toBeInstanceOf(Error);
    expect(leader.isLeader).toBe(false);
    // And the lock went with the session: another instance gets it.
    expect(await lock().acquire()).toBe(true);
  });

  it('does not report a loss after a deliberate release', async () => {
    const leader = lock();
    expect(await leader.acquire()).toBe(true);
    const onLost = jest.fn();
    leader.onLost(onLost);
    await leader.release();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(onLost).not.toHaveBeenCalled();
  });

  it('stops standing by when told to', async () => {
    expect(await lock().acquire()).toBe(true);
    const shutdown = new AbortController();
    const waiting = lock().acquire(shutdown.signal);
    shutdown.abort();
    await expect(waiting).resolves.toBe(false);
  });
});
