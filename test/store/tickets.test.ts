import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import type { Db } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { findTicket, insertTicket, nextTicketNumber, type NewTicket } from '../../src/store/tickets.js';
import { durableTestDatabase, TEST_DIALECT, type DurableTestDatabase } from '../support/database.js';

const stores: DurableTestDatabase[] = [];
const opened: Db[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
  for (const s of stores.splice(0)) await s.remove();
});

describe(`ticket numbers (${TEST_DIALECT})`, () => {
  it('count up from 1 without gaps, even when the first two tickets are opened at the same moment', async () => {
    const store = durableTestDatabase();
    stores.push(store);
    const a = await store.open();
    opened.push(a);
    await migrateToLatest(a);
    // A second connection where the engine has them (two replicas); SQLite serves one process.
    const b = TEST_DIALECT === 'postgres' ? await store.open() : a;
    if (b !== a) opened.push(b);
    const both = await Promise.all([a, b].map((db) => db.transaction().execute((trx) => nextTicketNumber(trx))));
    expect(both.sort()).toEqual([1, 2]);
    expect(await a.transaction().execute((trx) => nextTicketNumber(trx))).toBe(3);
  });

  it('come with the new row: the insert returns its number, the next after any taken before', async () => {
    const store = durableTestDatabase();
    stores.push(store);
    const db = await store.open();
    opened.push(db);
    await migrateToLatest(db);
    const row = (title: string): Omit<NewTicket, 'number'> => ({
      ...{ title, description: 'd', category: null, product: null, product_version: null, impact: 'low', urgency: 'low', priority: 'P5' },
      ...{ tier: 'L1', status: 'open', requester_platform: 'console', requester_space: 'local', requester_id: 'u', requester_name: 'U' },
      ...{ origin: { platform: 'console', space: 'local', channel: 'c' }, assignee: null, assignee_name: null, created_at: 5, updated_at: 5 },
      ...{ first_response_at: null, resolved_at: null, closed_at: null, resolution: null, revision: 0, sla_policy: null, sla_group: null },
      sla_marks: null,
    });
    expect(await db.transaction().execute((trx) => insertTicket(trx, row('first')))).toBe(1);
    expect(await db.transaction().execute((trx) => nextTicketNumber(trx))).toBe(2);
    expect(await db.transaction().execute((trx) => insertTicket(trx, row('third')))).toBe(3);
    const third = await findTicket(db, 3);
    expect([third?.title, third?.origin, third?.sla_marks, third?.requester_zone]).toEqual([
      'third',
      { platform: 'console', space: 'local', channel: 'c' },
      [],
      null,
    ]);
  });

  it.skipIf(TEST_DIALECT !== 'postgres')('on PostgreSQL come from a sequence that continues the counter, and back', async () => {
    const store = durableTestDatabase();
    stores.push(store);
    const db = await store.open();
    opened.push(db);
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: rows[0]!.schema });
    // Tickets numbered by the counter, before the sequence existed.
    expect((await migrator.migrateTo('2026-11-26-04-peer-kb')).error).toBeUndefined();
    await db.insertInto('counters').values({ name: 'ticket', value: 41 }).execute();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    // Two transactions take numbers side by side: neither waits for the other to commit.
    // (With the counter row, the second would wait for the first's commit: here, for ever.)
    const [n1, n2] = await db.transaction().execute(async (trx) => {
      const first = await nextTicketNumber(trx);
      const second = await Promise.race([
        db.transaction().execute((other) => nextTicketNumber(other)),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the second transaction waited on the first')), 5_000).unref()),
      ]);
      return [first, second];
    });
    expect([n1, n2]).toEqual([42, 43]);
    await sql`insert into tickets (number, title, description, impact, urgency, priority, tier, status, requester_platform, requester_space, requester_id, requester_name, created_at, updated_at, revision)
              values (43, 't', '', 'low', 'low', 'P5', 'L1', 'open', 'console', 'local', 'u', 'u', 0, 0, 0)`.execute(db);
    // Down again: the counter continues after the highest ticket.
    expect((await migrator.migrateTo('2026-11-26-04-peer-kb')).error).toBeUndefined();
    const counter = await db.selectFrom('counters').select('value').where('name', '=', 'ticket').executeTakeFirstOrThrow();
    expect(Number(counter.value)).toBe(43);
  });
});
