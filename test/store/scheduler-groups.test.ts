import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Work } from '../../src/core/work.js';
import type { Db } from '../../src/store/connect.js';
import { setTimers } from '../../src/store/timers.js';
import { durableTestDatabase, TEST_DIALECT, type DurableTestDatabase } from '../support/database.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

// The scheduler fires a PostgreSQL replica's due timers in groups: several in one transaction, each in
// a unit of work of its own (the default there; SQLite fires one per transaction unless told). These
// pin what a group must keep of one-by-one firing: the same outcome when a handler sets or cancels a
// timer of its own group, a failure that is the failing timer's alone, and, on PostgreSQL, nothing of
// a group committed when its replica dies inside it, every timer of it fired once elsewhere.

const T0 = Date.parse('2024-06-03T09:00:00Z');
const HOUR = 3_600_000;

const stores: DurableTestDatabase[] = [];
const desks: TestDesk[] = [];
afterEach(async () => {
  for (const d of desks.splice(0)) await d.close();
  for (const s of stores.splice(0)) await s.remove();
});

/** A desk whose `g` timers each record a fire (subject, replica) in the transaction that removes the timer. */
async function replica(name: string, db: Db, group: number): Promise<TestDesk> {
  const d = await createTestDesk({ db, scheduler: { group, groupMs: 60_000 } });
  desks.push(d);
  await sql`create table if not exists group_fires (subject text not null, replica text not null)`.execute(db);
  d.desk.scheduler.on('g', (work, timer) => recordFire(work, timer.subject, name));
  return d;
}

async function recordFire(work: Work, subject: string, name: string): Promise<void> {
  await sql`insert into group_fires (subject, replica) values (${subject}, ${name})`.execute(work.db);
}

async function fires(db: Db): Promise<string[]> {
  const { rows } = await sql<{ subject: string }>`select subject from group_fires order by subject`.execute(db);
  return rows.map((r) => r.subject);
}

async function armed(db: Db): Promise<Array<{ id: string; due: number; leased: boolean }>> {
  const rows = await db.selectFrom('timers').select(['id', 'due_at', 'lease_until']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, due: Number(r.due_at), leased: r.lease_until !== null }));
}

async function openStore(): Promise<DurableTestDatabase> {
  const store = durableTestDatabase();
  stores.push(store);
  return store;
}

describe(`timers fired in groups (${TEST_DIALECT})`, () => {
  it.each([1, 8])(
    'a handler that cancels or moves a later timer of its group, or sets its own again, has the same outcome as one by one (group of %i)',
    async (group) => {
      const d = await replica('one', await (await openStore()).open(), group);
      // Due in this order: `moves:1` cancels `g:2` and moves `g:4` an hour on, then sets itself again.
      d.desk.scheduler.on('moves', async (work) => {
        await work.cancelTimer('g', '2');
        await work.setTimer('g', '4', work.now + HOUR);
        await work.setTimer('moves', '1', work.now + HOUR);
      });
      await setTimers(
        d.db,
        [{ kind: 'moves', subject: '1', dueAt: T0 - 5 }, ...[2, 3, 4, 5].map((n) => ({ kind: 'g', subject: String(n), dueAt: T0 - 5 + n }))],
        T0 - 10,
      );

      expect(await d.desk.scheduler.tick()).toBe(3); // moves:1, g:3, g:5
      expect(await fires(d.db)).toEqual(['3', '5']);
      expect(await armed(d.db)).toEqual([
        { id: 'g:4', due: T0 + HOUR, leased: false },
        { id: 'moves:1', due: T0 + HOUR, leased: false },
      ]);

      d.clock.advance(HOUR);
      expect(await d.desk.scheduler.tick()).toBe(2);
      expect(await fires(d.db)).toEqual(['3', '4', '5']);
    },
  );

  it('a handler that fails rolls its group back: the others fire once each, the failing one again after its backoff', async () => {
    const d = await replica('one', await (await openStore()).open(), 8);
    let broken = true;
    d.desk.scheduler.on('flaky', async (work) => {
      await recordFire(work, 'flaky', 'one'); // written, then rolled back with the group
      if (broken) throw new Error('the handler broke');
    });
    await setTimers(
      d.db,
      [
        ...[1, 2, 3].map((n) => ({ kind: 'g', subject: String(n), dueAt: T0 - 10 + n })),
        { kind: 'flaky', subject: 'x', dueAt: T0 - 5 },
        ...[6, 7].map((n) => ({ kind: 'g', subject: String(n), dueAt: T0 - 10 + n })),
      ],
      T0 - 10,
    );

    expect(await d.desk.scheduler.tick()).toBe(5);
    expect(await fires(d.db)).toEqual(['1', '2', '3', '6', '7']);
    expect(d.logger.lines.filter((e) => e.msg === 'timer handler failed; will retry')).toHaveLength(1);
    expect(await armed(d.db)).toEqual([{ id: 'flaky:x', due: T0 - 5, leased: false }]); // backing off

    broken = false;
    d.clock.advance(2_000); // its first backoff
    expect(await d.desk.scheduler.tick()).toBe(1);
    expect(await fires(d.db)).toEqual(['1', '2', '3', '6', '7', 'flaky']);
  });

  it.runIf(TEST_DIALECT === 'postgres')(
    'a replica that dies inside a group commits nothing of it; another replica fires each of its timers once, after the lease',
    { timeout: 60_000 },
    async () => {
      const store = await openStore();
      const a = await replica('a', await store.open(), 8);
      const b = await replica('b', await store.open(), 8);
      await setTimers(
        a.db,
        Array.from({ length: 8 }, (_, n) => ({ kind: 'g', subject: String(n), dueAt: T0 - 10 + n })),
        T0 - 10,
      );
      // Replica A fires 0, 1 and 2, then hangs inside the handler of 3, holding the group's transaction.
      let hung!: (pid: number) => void;
      const isHung = new Promise<number>((resolve) => (hung = resolve));
      let wake!: () => void;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      a.desk.scheduler.on('g', async (work, timer) => {
        await recordFire(work, timer.subject, 'a');
        if (timer.subject !== '3') return;
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(work.db);
        hung(Number(rows[0]!.pid));
        await woken;
      });
      const ticking = a.desk.scheduler.tick();
      const pid = await isHung;
      // A dies: its connection ends, and the server rolls its transaction back.
      await sql`select pg_terminate_backend(${pid})`.execute(b.db);

      expect(await fires(b.db)).toEqual([]); // 0, 1 and 2 were never committed
      b.clock.set(T0 + 60_000 - 1);
      expect(await b.desk.scheduler.tick()).toBe(0); // still A's lease
      b.clock.set(T0 + 60_000);
      expect(await b.desk.scheduler.tick()).toBe(8);

      // A wakes too late: its statements fail, and the timers it tries again alone are no longer its.
      wake();
      expect(await ticking).toBe(0);
      const { rows } = await sql<{ subject: string; replica: string }>`select subject, replica from group_fires order by subject`.execute(b.db);
      expect(rows).toEqual(Array.from({ length: 8 }, (_, n) => ({ subject: String(n), replica: 'b' })));
      expect(await armed(b.db)).toEqual([]);
    },
  );
});
