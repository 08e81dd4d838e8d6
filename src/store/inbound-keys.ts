import { affected, runCompiled } from './compiled.js';
import type { Db } from './connect.js';

/**
 * Record an inbound event's idempotency key. Returns false when the key was seen before, so a
 * platform retry (or a replayed interaction) does nothing the second time.
 */
export async function recordInboundKey(db: Db, key: string, at: number): Promise<boolean> {
  const result = await runCompiled(db, 'inbound_keys.record', [key, at], (slot) =>
    db
      .insertInto('inbound_keys')
      .values({ key: slot(0), at: slot(1) })
      .onConflict((oc) => oc.column('key').doNothing()),
  );
  return affected(result) === 1;
}

/** Forget keys older than `before`; platforms stop retrying within minutes. */
export async function pruneInboundKeys(db: Db, before: number): Promise<number> {
  const result = await db.deleteFrom('inbound_keys').where('at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
