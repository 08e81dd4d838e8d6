import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/store/connect.js';
import { pgUrl, runId, SCHEMA_PREFIX } from './database.js';

/** Schemas of runs that started this long ago are leftovers of a crash, not a run in progress. */
const STALE_MS = 6 * 3_600_000;

/**
 * Global setup of the `postgres` vitest project: check the server answers (a clear failure, once,
 * instead of one per test), name this run, and sweep up test schemas: this run's at the end (tests
 * that never closed their desk), and those of runs that crashed long ago at the start. Runs going on
 * side by side (several people, one server) keep theirs.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const db = openDatabase(pgUrl());
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy();
    throw new Error(
      `TIERDESK_TEST_PG_URL is set but PostgreSQL does not answer there (${err instanceof Error ? err.message : String(err)}). Start it, or unset the variable to run the SQLite suite only.`,
    );
  }
  const started = Date.now();
  const run = runId(started);
  project.provide('pgRun', run);
  await dropSchemas(db, (name) => {
    const at = parseInt(name.slice(SCHEMA_PREFIX.length).split('_')[0] ?? '', 36) * 1000;
    return Number.isFinite(at) && at < started - STALE_MS;
  });
  await db.destroy();

  return async () => {
    const end = openDatabase(pgUrl());
    try {
      await dropSchemas(end, (name) => name.startsWith(`${SCHEMA_PREFIX}${run}_`));
    } finally {
      await end.destroy();
    }
  };
}

async function dropSchemas(db: ReturnType<typeof openDatabase>, which: (name: string) => boolean): Promise<void> {
  const { rows } = await sql<{ name: string }>`select nspname as name from pg_namespace where nspname like ${`${SCHEMA_PREFIX}%`}`.execute(db);
  for (const { name } of rows.filter((r) => which(r.name))) await sql`drop schema if exists ${sql.id(name)} cascade`.execute(db);
}
