import type { Db } from './connect.js';
import type { Selectable } from 'kysely';
import type { InboundQueueTable } from './schema-intake.js';

type InboundQueueRow = Selectable<InboundQueueTable>;

/**
 * Keep a request to run later. Returns false when its key is queued already (a platform's retry of
 * the same request): it is then neither queued nor acknowledged twice.
 */
export async function queueInbound(
  db: Db,
  row: { key: string; platform: string; event: string; answerTo: string; at: number; notBefore: number },
): Promise<boolean> {
  const result = await db
    .insertInto('inbound_queue')
    .values({ key: row.key, platform: row.platform, event: row.event, answer_to: row.answerTo, queued_at: row.at, next_at: row.notBefore })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** The oldest queued requests whose time has come. */
export async function dueInbound(db: Db, now: number, limit: number): Promise<InboundQueueRow[]> {
  return db.selectFrom('inbound_queue').selectAll().where('next_at', '<=', now).orderBy('queued_at').orderBy('key').limit(limit).execute();
}

/**
 * Take a queued request to run it (one conditional update): another replica, or a pass that
 * outlived its lease, leaves it alone until `until`. False when someone else took it first.
 */
export async function leaseInbound(db: Db, key: string, seen: number, until: number): Promise<boolean> {
  const result = await db.updateTable('inbound_queue').set({ next_at: until }).where('key', '=', key).where('next_at', '=', seen).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A queued request ran (or was a repeat): forget it. */
export async function forgetInbound(db: Db, key: string): Promise<void> {
  await db.deleteFrom('inbound_queue').where('key', '=', key).execute();
}

/** When the next queued request is due, if any. */
export async function nextInboundDue(db: Db): Promise<number | undefined> {
  const row = await db
    .selectFrom('inbound_queue')
    .select((eb) => eb.fn.min('next_at').as('at'))
    .executeTakeFirst();
  return row?.at == null ? undefined : Number(row.at);
}

/** How many requests wait in the queue. */
export async function countQueuedInbound(db: Db): Promise<number> {
  const row = await db
    .selectFrom('inbound_queue')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
