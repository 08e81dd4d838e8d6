import type { Db } from './connect.js';
import type { OncallOverridesTable } from './schema.js';

export async function insertOverride(db: Db, row: OncallOverridesTable): Promise<void> {
  await db.insertInto('oncall_overrides').values(row).execute();
}

/** Overrides that have not ended at `now`, oldest first (a later one wins where they overlap). */
export async function overridesNotEnded(db: Db, now: number): Promise<OncallOverridesTable[]> {
  return db.selectFrom('oncall_overrides').selectAll().where('to_at', '>', now).orderBy('created_at').execute();
}
