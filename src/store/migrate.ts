import { Migrator, sql, type MigrationResultSet } from 'kysely';
import { migrations } from '../../migrations/index.js';
import type { Db } from './connect.js';
import { dialectOf } from './dialect.js';

/**
 * Replicas starting together migrate once: kysely's Migrator takes a lock before it reads which
 * migrations ran and holds it until they are applied. On PostgreSQL that lock is a session-level
 * `pg_advisory_lock` (one fixed key per database, an hour's lock_timeout) around one transaction
 * holding every pending migration (DDL is transactional there): the second replica waits, then finds
 * nothing left to do; a migration that fails rolls back whole (test/store/migrations.test.ts races
 * three). SQLite serves one process, which runs the same single transaction.
 *
 * On PostgreSQL the bookkeeping tables are pinned to the schema the connection works in
 * (`current_schema()`, from search_path): kysely otherwise looks for them in every schema of the
 * database and would take another schema's for ours.
 */
async function migrator(db: Db): Promise<Migrator> {
  const provider = { getMigrations: async () => migrations };
  if (dialectOf(db) === 'sqlite') return new Migrator({ db, provider });
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('PostgreSQL has no schema to work in: check search_path (none of its schemas exists)');
  return new Migrator({ db, provider, migrationTableSchema: schema });
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`migration ${failed ?? '(unknown)'} failed: ${String((result.error as Error).message ?? result.error)}`);
  }
  return (result.results ?? []).map((r) => `${r.direction === 'Up' ? 'applied' : 'reverted'} ${r.migrationName}`);
}

/**
 * Bring the schema to the latest migration; returns what was applied. Safe to run from several
 * replicas at once. On PostgreSQL kysely reads the tables of every schema in the database to find
 * its own; another schema dropped at that moment (another tenant, a test run finishing) fails the
 * read with `schema "…" does not exist`, which says nothing about ours: read again.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    const m = await migrator(db);
    try {
      return unwrap(await m.migrateToLatest());
    } catch (err) {
      const vanished = /schema "([^"]+)" does not exist/.exec(err instanceof Error ? err.message : String(err))?.[1];
      if (vanished === undefined || attempt >= 5 || dialectOf(db) !== 'postgres') throw err;
      const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
      if (rows[0]?.schema === vanished) throw err;
    }
  }
}

/** Revert every migration (tests, and `tierdesk migrate --down-all` for a clean slate). */
export async function migrateDownAll(db: Db): Promise<string[]> {
  const m = await migrator(db);
  const done: string[] = [];
  for (;;) {
    const result = await m.migrateDown();
    const names = unwrap(result);
    if (names.length === 0) return done;
    done.push(...names);
  }
}
