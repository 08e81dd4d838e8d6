import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { nextTicketNumber } from '../../src/store/tickets.js';
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
});
