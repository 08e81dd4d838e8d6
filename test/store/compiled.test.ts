import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/connect.js';
import { LIMIT_ONE, affected, runCompiled } from '../../src/store/compiled.js';
import { recordInboundKey } from '../../src/store/inbound-keys.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { insertOutbox, type NewOutboxItem } from '../../src/store/outbox.js';
import { writeQueuedRows } from '../../src/store/queued-rows.js';
import { setTimers } from '../../src/store/timers.js';
import { TEST_DIALECT, testDatabase } from '../support/database.js';

const opened: Db[] = [];
async function fresh(): Promise<Db> {
  const db = await testDatabase();
  opened.push(db);
  await migrateToLatest(db);
  return db;
}
afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
});

const outboxRow = (id: string): NewOutboxItem => ({
  id,
  created_at: 5,
  target: { kind: 'thread', of: 'root' },
  body: { op: 'post', card: { title: id, fallback: id } },
  message_key: `key-${id}`,
  ticket: null,
  side: null,
  next_attempt_at: 7,
});

describe(`queries compiled once (${TEST_DIALECT})`, () => {
  it('run with each call’s own values, not the first call’s', async () => {
    const db = await fresh();
    expect(await recordInboundKey(db, 'a', 1)).toBe(true);
    expect(await recordInboundKey(db, 'b', 2)).toBe(true);
    expect(await recordInboundKey(db, 'a', 3)).toBe(false);
    const keys = await db.selectFrom('inbound_keys').selectAll().orderBy('key').execute();
    expect(keys.map((k) => [k.key, Number(k.at)])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('keep one compilation per shape: one row and three rows both land whole', async () => {
    const db = await fresh();
    await insertOutbox(db, [outboxRow('x1')]);
    await insertOutbox(db, ['y1', 'y2', 'y3'].map(outboxRow));
    await insertOutbox(db, [outboxRow('z1')]);
    const rows = await db.selectFrom('outbox').select(['id', 'message_key', 'card', 'status', 'attempts']).orderBy('id').execute();
    expect(rows.map((r) => [r.id, r.message_key, r.card, r.status, Number(r.attempts)])).toEqual(
      ['x1', 'y1', 'y2', 'y3', 'z1'].map((id) => [id, `key-${id}`, `{"title":"${id}","fallback":"${id}"}`, 'pending', 0]),
    );
    await setTimers(db, [{ kind: 'k', subject: 's1', dueAt: 10, data: { n: 1 } }], 1);
    await setTimers(
      db,
      [
        { kind: 'k', subject: 's1', dueAt: 20 },
        { kind: 'k', subject: 's2', dueAt: 30, data: 'two' },
      ],
      2,
    );
    const timers = await db.selectFrom('timers').select(['id', 'due_at', 'data', 'created_at']).orderBy('id').execute();
    expect(timers.map((t) => [t.id, Number(t.due_at), t.data, Number(t.created_at)])).toEqual([
      ['k:s1', 20, null, 1],
      ['k:s2', 30, '"two"', 2],
    ]);
  });

  it('write a unit’s outbox rows and timers whole, together (one statement on PostgreSQL) or either alone', async () => {
    const db = await fresh();
    await setTimers(db, [{ kind: 'k', subject: 'moved', dueAt: 1 }], 1);
    await db.transaction().execute(async (trx) => {
      const timers = [
        { kind: 'k', subject: 'moved', dueAt: 40, data: { level: '75' } },
        { kind: 'k', subject: 'new', dueAt: 50 },
      ];
      await writeQueuedRows(trx, [outboxRow('a1'), outboxRow('a2')], timers, 3);
      await writeQueuedRows(trx, [outboxRow('b1')], [], 4);
      await writeQueuedRows(trx, [], [{ kind: 'k', subject: 'alone', dueAt: 60 }], 5);
      await writeQueuedRows(trx, [], [], 6);
    });
    const rows = await db.selectFrom('outbox').select(['id', 'message_key', 'status']).orderBy('id').execute();
    expect(rows).toEqual(['a1', 'a2', 'b1'].map((id) => ({ id, message_key: `key-${id}`, status: 'pending' })));
    const timers = await db.selectFrom('timers').select(['id', 'due_at', 'next_at', 'data', 'created_at']).orderBy('id').execute();
    expect(timers.map((t) => [t.id, Number(t.due_at), Number(t.next_at), t.data, Number(t.created_at)])).toEqual([
      ['k:alone', 60, 60, null, 5],
      ['k:moved', 40, 40, '{"level":"75"}', 1],
      ['k:new', 50, 50, null, 3],
    ]);
  });

  it('returns the rows a compiled select reads', async () => {
    const db = await fresh();
    await recordInboundKey(db, 'q', 9);
    const read = (key: string) =>
      runCompiled(db, 'test.inbound_key', [key], (slot) => db.selectFrom('inbound_keys').select('at').where('key', '=', slot(0)));
    expect((await read('q')).rows.map((r) => Number(r.at))).toEqual([9]);
    expect((await read('none')).rows).toEqual([]);
  });

  it('inside a transaction: the same rows and counts, and a rollback undoes what ran', async () => {
    const db = await fresh();
    const read = (on: Db, key: string) =>
      runCompiled(on, 'test.inbound_key', [key], (slot) => on.selectFrom('inbound_keys').select('at').where('key', '=', slot(0)));
    const refused = db.transaction().execute(async (trx) => {
      expect(await recordInboundKey(trx, 'r', 1)).toBe(true);
      expect(await recordInboundKey(trx, 'r', 2)).toBe(false);
      expect((await read(trx, 'r')).rows.map((r) => Number(r.at))).toEqual([1]);
      const bump = await runCompiled(trx, 'test.inbound_key_move', ['r', 5], (slot) =>
        trx
          .updateTable('inbound_keys')
          .set({ at: slot(1) })
          .where('key', '=', slot(0)),
      );
      expect(affected(bump)).toBe(1);
      // A statement that fails rejects like any query, and the whole unit rolls back.
      await insertOutbox(trx, [outboxRow('dup')]);
      await insertOutbox(trx, [outboxRow('dup')]);
    });
    await expect(refused).rejects.toThrow();
    expect((await read(db, 'r')).rows).toEqual([]);
    expect(await db.selectFrom('outbox').select('id').execute()).toEqual([]);
  });

  it('outside a transaction, never runs inside another unit’s transaction', async () => {
    const db = await fresh();
    let fail!: (err: Error) => void;
    const held = new Promise<void>((_, reject) => (fail = reject));
    let started!: () => void;
    const begun = new Promise<void>((resolve) => (started = resolve));
    const unit = db.transaction().execute(async (trx) => {
      await recordInboundKey(trx, 'inside', 1);
      started();
      await held;
    });
    await begun;
    // On SQLite the one connection is the unit's until it ends: this must wait, not join it.
    const outside = recordInboundKey(db, 'outside', 2);
    fail(new Error('the unit is refused'));
    await expect(unit).rejects.toThrow('the unit is refused');
    expect(await outside).toBe(true);
    const keys = await db.selectFrom('inbound_keys').select('key').orderBy('key').execute();
    expect(keys.map((k) => k.key)).toEqual(['outside']);
  });

  it('writes LIMIT_ONE into the SQL, not as a bound value (SQLite prepares again for each bound LIMIT)', async () => {
    const db = await fresh();
    const query = db.selectFrom('inbound_keys').select('key').orderBy('key').limit(LIMIT_ONE).compile();
    expect(query.sql).toMatch(/limit 1$/);
    expect(query.parameters).toEqual([]);
    await recordInboundKey(db, 'b', 1);
    await recordInboundKey(db, 'a', 1);
    expect((await db.executeQuery(query)).rows).toEqual([{ key: 'a' }]);
  });

  it.skipIf(TEST_DIALECT !== 'postgres')('on PostgreSQL, are kept prepared on the connection, parsed once', async () => {
    const db = await fresh();
    const prepared = await db.transaction().execute(async (trx) => {
      await recordInboundKey(trx, 'p', 1);
      await recordInboundKey(trx, 'q', 2);
      return (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(trx)).rows;
    });
    expect(prepared.filter((p) => p.statement.startsWith('insert into "inbound_keys"'))).toHaveLength(1);
    expect(prepared.map((p) => p.statement)).toContain('begin');
    expect(await recordInboundKey(db, 'p', 3)).toBe(false);
  });
});
