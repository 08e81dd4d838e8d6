import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { openDatabase, type Db } from '../../src/store/connect.js';
import { migrateDownAll, migrateToLatest } from '../../src/store/migrate.js';

async function tables(db: Db): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

describe('migrations', () => {
  it('are date-prefixed, in order, and listed in a static index', () => {
    const names = Object.keys(migrations);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toMatch(/^\d{4}-\d{2}-\d{2}-\d{2}-[a-z0-9-]+$/);
    expect([...names].sort()).toEqual(names);
  });

  it('go from empty to latest, are idempotent, and go back down to empty', async () => {
    const db = openDatabase(':memory:');
    expect(await tables(db)).toEqual([]);
    expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).map((n) => `applied ${n}`));
    expect(await tables(db)).toEqual(['counters', 'inbound_keys', 'messages', 'oncall_overrides', 'outbox', 'pages', 'sla_pauses', 'ticket_events', 'tickets', 'timers']);
    expect(await migrateToLatest(db)).toEqual([]);
    expect(await migrateDownAll(db)).toEqual(Object.keys(migrations).reverse().map((n) => `reverted ${n}`));
    expect(await tables(db)).toEqual([]);
    expect(await migrateToLatest(db)).toHaveLength(Object.keys(migrations).length);
    await db.destroy();
  });

  it('store instants as integer epoch milliseconds', async () => {
    const db = openDatabase(':memory:');
    await migrateToLatest(db);
    await db.insertInto('timers').values({ id: 'k:s', kind: 'k', subject: 's', due_at: 1_717_405_200_123, next_at: 1_717_405_200_123, data: null, attempts: 0, lease_until: null, created_at: 0 }).execute();
    const row = await db.selectFrom('timers').select('due_at').executeTakeFirstOrThrow();
    expect(row.due_at).toBe(1_717_405_200_123);
    await db.destroy();
  });
});
