import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { completeTimer, leaseDueTimers, setTimers, type NewTimer } from '../../src/store/timers.js';
import { durableTestDatabase, TEST_DIALECT, type DurableTestDatabase } from '../support/database.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

const T0 = Date.parse('2024-06-03T09:00:00Z');
const LEASE = 60_000;

const stores: DurableTestDatabase[] = [];
const opened: Db[] = [];
const desks: TestDesk[] = [];
afterEach(async () => {
  for (const d of desks.splice(0)) await d.close();
  for (const db of opened.splice(0)) await db.destroy();
  for (const s of stores.splice(0)) await s.remove();
});

/**
 * `n` connections to one migrated database, as `n` replicas would have. SQLite is one process, so
 * there its "replicas" share the connection (and interleave on it).
 */
async function replicas(n: number): Promise<Db[]> {
  const store = durableTestDatabase();
  stores.push(store);
  const first = await store.open();
  opened.push(first);
  await migrateToLatest(first);
  const dbs = [first];
  while (dbs.length < n) {
    const db = TEST_DIALECT === 'postgres' ? await store.open() : first;
    if (db !== first) opened.push(db);
    dbs.push(db);
  }
  return dbs;
}

function dueTimers(n: number): NewTimer[] {
  return Array.from({ length: n }, (_, i) => ({ kind: 'test', subject: String(i), dueAt: T0 - 1000 + (i % 50) }));
}

/** Lease in batches until nothing is left for this claimer. */
async function claimAll(db: Db, batch: number): Promise<string[]> {
  const mine: string[] = [];
  for (;;) {
    const got = await leaseDueTimers(db, T0, T0 + LEASE, batch);
    if (got.length === 0) return mine;
    mine.push(...got.map((t) => t.id));
  }
}

describe(`claiming due timers (${TEST_DIALECT})`, () => {
  it('leases each due timer to exactly one of two claimers working at the same time', async () => {
    const [a, b] = await replicas(2);
    await setTimers(a!, dueTimers(400), T0 - 5000);
    const [mineA, mineB] = await Promise.all([claimAll(a!, 25), claimAll(b!, 25)]);
    const all = [...mineA, ...mineB];
    expect(all).toHaveLength(400);
    expect(new Set(all).size).toBe(400);
    expect(await leaseDueTimers(a!, T0, T0 + LEASE, 25)).toEqual([]); // leased: not due again until the lease ends
  });

  it('hands a timer whose holder died to another claimer once the lease runs out, and only the new holder completes it', async () => {
    const [a, b] = await replicas(2);
    await setTimers(a!, [{ kind: 'test', subject: 'x', dueAt: T0 }], T0);
    const [first] = await leaseDueTimers(a!, T0, T0 + LEASE, 10);
    expect(first).toMatchObject({ id: 'test:x', attempts: 1, lease_until: T0 + LEASE, next_at: T0 + LEASE });
    expect(await leaseDueTimers(b!, T0 + LEASE - 1, T0 + 2 * LEASE, 10)).toEqual([]);
    const [taken] = await leaseDueTimers(b!, T0 + LEASE, T0 + 2 * LEASE, 10);
    expect(taken).toMatchObject({ id: 'test:x', attempts: 2, due_at: T0 });
    expect(await completeTimer(a!, 'test:x', T0 + LEASE)).toBe(false); // the old holder woke up too late
    expect(await completeTimer(b!, 'test:x', T0 + 2 * LEASE)).toBe(true);
  });

  it.runIf(TEST_DIALECT === 'postgres')('skips rows another replica has locked instead of waiting for them', async () => {
    const [a, b] = await replicas(2);
    await setTimers(a!, dueTimers(3), T0 - 5000);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Replica A is in the middle of claiming `test:0` (its row lock is held until A commits).
    const holding = a!.transaction().execute(async (trx) => {
      await sql`select id from timers where id = 'test:0' for update`.execute(trx);
      locked();
      await released;
    });
    await isLocked;
    const got = await leaseDueTimers(b!, T0, T0 + LEASE, 10); // returns at once: no waiting on A
    release();
    await holding;
    expect(got.map((t) => t.id).sort()).toEqual(['test:1', 'test:2']);
    expect((await leaseDueTimers(b!, T0, T0 + LEASE, 10)).map((t) => t.id)).toEqual(['test:0']);
  });
});

describe(`schedulers of several replicas on one database (${TEST_DIALECT})`, () => {
  it('fire each due timer once', async () => {
    const store = durableTestDatabase();
    stores.push(store);
    const fired: string[] = [];
    const replica = async () => {
      const d = await createTestDesk({ db: await store.open() });
      desks.push(d);
      d.desk.scheduler.on('test', async (_work, timer) => void fired.push(timer.subject));
      return d;
    };
    const [one, two, three] = [await replica(), await replica(), await replica()];
    await setTimers(one.db, dueTimers(300), T0 - 5000);
    const ticks = await Promise.all([one, two, three].map((d) => d.desk.scheduler.tick()));
    expect(ticks.reduce((x, y) => x + y, 0)).toBe(300);
    expect(fired).toHaveLength(300);
    expect(new Set(fired).size).toBe(300);
    expect(await one.db.selectFrom('timers').select('id').execute()).toEqual([]);
  });
});
