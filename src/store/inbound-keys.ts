import type { QueryCreator } from 'kysely';
import { affected, runCompiled } from './compiled.js';
import type { Db } from './connect.js';
import { dialectOf } from './dialect.js';
import { lockExpression, lockKey, markHeld, type Requester } from './requester-lock.js';
import type { Database } from './schema.js';

/**
 * Record an inbound event's idempotency key. Returns false when the key was seen before, so a
 * platform retry (or a replayed interaction) does nothing the second time. With `lock`, the same
 * statement takes that requester's lock for the transaction on PostgreSQL (`lockRequester`).
 */
export async function recordInboundKey(db: Db, key: string, at: number, lock?: Requester): Promise<boolean> {
  const insert = (q: QueryCreator<Database>, slot: (index: number) => never) =>
    q
      .insertInto('inbound_keys')
      .values({ key: slot(0), at: slot(1) })
      .onConflict((oc) => oc.column('key').doNothing());
  if (lock === undefined || dialectOf(db) !== 'postgres') {
    return affected(await runCompiled(db, 'inbound_keys.record', [key, at], (slot) => insert(db, slot))) === 1;
  }
  const { rows } = await runCompiled(db, 'inbound_keys.record_and_lock', [key, at, lockKey(lock)], (slot) =>
    db
      .with('recorded', (q) => insert(q, slot).returning('key'))
      .selectNoFrom((eb) => [
        eb.selectFrom('recorded').select(eb.fn.countAll<number>().as('n')).as('recorded'),
        lockExpression(slot(2)).as('locked'),
      ]),
  );
  markHeld(db, lock);
  return Number(rows[0]!.recorded) === 1;
}

/** Forget keys older than `before`; platforms stop retrying within minutes. */
export async function pruneInboundKeys(db: Db, before: number): Promise<number> {
  const result = await db.deleteFrom('inbound_keys').where('at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
