import { sql } from 'kysely';
import { runCompiled } from './compiled.js';
import type { Db } from './connect.js';

/**
 * Take the next value of a named counter (`question`, `article`; `ticket` on SQLite), inside the
 * caller's transaction: a rollback gives the number back. The very first value is an upsert, so
 * two first takers at once (PostgreSQL, several connections) get 1 and 2 instead of a failure.
 */
export async function nextCounter(db: Db, name: string): Promise<number> {
  const { rows } = await runCompiled(db, 'counters.bump', [name], (slot) =>
    db
      .updateTable('counters')
      .set({ value: sql<number>`value + 1` })
      .where('name', '=', slot(0))
      .returning('value'),
  );
  if (rows[0]) return Number(rows[0].value);
  const first = await db
    .insertInto('counters')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(first.value);
}
