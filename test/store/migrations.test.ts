import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import type { Db } from '../../src/store/connect.js';
import { dialectOf } from '../../src/store/dialect.js';
import { migrateDownAll, migrateToLatest } from '../../src/store/migrate.js';
import { durableTestDatabase, TEST_DIALECT, testDatabase, type DurableTestDatabase } from '../support/database.js';

/** The tables of our schema, without kysely's bookkeeping. */
async function tables(db: Db): Promise<string[]> {
  const query =
    dialectOf(db) === 'postgres'
      ? sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_name not like 'kysely_%' order by table_name`
      : // FTS5's shadow tables (search_docs_data, …) belong to the virtual table and go with it.
        sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' and name not like 'search_docs_%' order by name`;
  return (await query.execute(db)).rows.map((r) => r.name);
}

const opened: Db[] = [];
const stores: DurableTestDatabase[] = [];
async function fresh(): Promise<Db> {
  const db = await testDatabase();
  opened.push(db);
  return db;
}
afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
  for (const store of stores.splice(0)) await store.remove();
});

describe(`migrations (${TEST_DIALECT})`, () => {
  it('are date-prefixed, in order, and listed in a static index', () => {
    const names = Object.keys(migrations);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toMatch(/^\d{4}-\d{2}-\d{2}-\d{2}-[a-z0-9-]+$/);
    expect([...names].sort()).toEqual(names);
  });

  it('go from empty to latest, are idempotent, and go back down to empty', async () => {
    const db = await fresh();
    expect(await tables(db)).toEqual([]);
    expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).map((n) => `applied ${n}`));
    expect(await tables(db)).toEqual([
      'api_tokens',
      'consults',
      'counters',
      'csat_ratings',
      'deflection_docs',
      'deflections',
      'direct_drafts',
      'inbound_keys',
      'inbound_queue',
      'kb_article_versions',
      'kb_articles',
      'kb_votes',
      'messages',
      'metric_counts',
      'oncall_handle_grants',
      'oncall_handles',
      'oncall_overrides',
      'outbox',
      'pages',
      'peer_grants',
      'peer_participants',
      'peer_points',
      'peer_questions',
      'peer_solutions',
      'product_warnings',
      'search_docs',
      'sla_pauses',
      'ticket_events',
      'tickets',
      'timers',
      'web_login_links',
      'web_sessions',
      'web_settings',
    ]);
    expect(await migrateToLatest(db)).toEqual([]);
    expect(await migrateDownAll(db)).toEqual(
      Object.keys(migrations)
        .reverse()
        .map((n) => `reverted ${n}`),
    );
    expect(await tables(db)).toEqual([]);
    expect(await migrateToLatest(db)).toHaveLength(Object.keys(migrations).length);
  });

  it('store instants as integer epoch milliseconds, read back as numbers', async () => {
    const db = await fresh();
    await migrateToLatest(db);
    await db
      .insertInto('timers')
      .values({
        id: 'k:s',
        kind: 'k',
        subject: 's',
        due_at: 1_717_405_200_123,
        next_at: 1_717_405_200_123,
        data: null,
        attempts: 0,
        lease_until: null,
        created_at: 0,
      })
      .execute();
    const row = await db.selectFrom('timers').select('due_at').executeTakeFirstOrThrow();
    expect(row.due_at).toBe(1_717_405_200_123);
    const counted = await db
      .selectFrom('timers')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('due_at').as('latest'), eb.fn.sum<number>('attempts').as('tries')])
      .executeTakeFirstOrThrow();
    expect(counted).toEqual({ n: 1, latest: 1_717_405_200_123, tries: 0 });
  });

  it.runIf(TEST_DIALECT === 'postgres')('run once when three replicas start together', async () => {
    const store = durableTestDatabase();
    stores.push(store);
    const replicas = [await store.open(), await store.open(), await store.open()];
    try {
      const applied = await Promise.all(replicas.map((db) => migrateToLatest(db)));
      expect(applied.flat().sort()).toEqual(Object.keys(migrations).map((n) => `applied ${n}`));
      expect(await tables(replicas[0]!)).toHaveLength(33);
    } finally {
      for (const db of replicas) await db.destroy();
    }
  });

  it.runIf(TEST_DIALECT === 'postgres')('keep their bookkeeping in the schema they work in, beside other schemas', async () => {
    // A second deployment (or test) in another schema of the same database: each migrates its own.
    const [a, b] = [await fresh(), await fresh()];
    expect(await migrateToLatest(a)).toHaveLength(Object.keys(migrations).length);
    expect(await migrateToLatest(b)).toHaveLength(Object.keys(migrations).length);
    expect(await migrateDownAll(a)).toHaveLength(Object.keys(migrations).length);
    expect(await tables(a)).toEqual([]);
    expect(await tables(b)).toHaveLength(33);
  });
});

describe('database URLs in output', () => {
  it('never show a password', async () => {
    const { redactUrl } = await import('../../src/store/dialect.js');
    expect(redactUrl('postgres://tierdesk:s3cr3t@db.internal:5432/desk')).toBe('postgres://tierdesk:***@db.internal:5432/desk');
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(redactUrl('./data/tierdesk.db')).toBe('./data/tierdesk.db');
  });
});
