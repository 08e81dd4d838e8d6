import { Migrator, type MigrationResultSet } from 'kysely';
import { migrations } from '../../migrations/index.js';
import type { Db } from './connect.js';

function migrator(db: Db): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`migration ${failed ?? '(unknown)'} failed: ${String((result.error as Error).message ?? result.error)}`);
  }
  return (result.results ?? []).map((r) => `${r.direction === 'Up' ? 'applied' : 'reverted'} ${r.migrationName}`);
}

/** Bring the schema to the latest migration; returns what was applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return unwrap(await migrator(db).migrateToLatest());
}

/** Revert every migration (tests, and `tierdesk migrate --down-all` for a clean slate). */
export async function migrateDownAll(db: Db): Promise<string[]> {
  const m = migrator(db);
  const done: string[] = [];
  for (;;) {
    const result = await m.migrateDown();
    const names = unwrap(result);
    if (names.length === 0) return done;
    done.push(...names);
  }
}
