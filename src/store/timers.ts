import type { Db } from './connect.js';
import type { TimerRow } from './schema.js';

/** Create or move the timer `kind` for `subject` (one per pair). */
export async function setTimer(db: Db, t: { kind: string; subject: string; dueAt: number; data?: unknown; now: number }): Promise<void> {
  const id = `${t.kind}:${t.subject}`;
  const data = t.data === undefined ? null : JSON.stringify(t.data);
  await db
    .insertInto('timers')
    .values({ id, kind: t.kind, subject: t.subject, due_at: t.dueAt, data, attempts: 0, lease_until: null, created_at: t.now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ due_at: t.dueAt, data, attempts: 0, lease_until: null }))
    .execute();
}

export async function cancelTimer(db: Db, kind: string, subject: string): Promise<void> {
  await db.deleteFrom('timers').where('id', '=', `${kind}:${subject}`).execute();
}

/** The earliest instant any timer wants attention (due, or its lease expiring). */
export async function nextTimerDue(db: Db): Promise<number | undefined> {
  const free = await db.selectFrom('timers').select('due_at').where('lease_until', 'is', null).orderBy('due_at').limit(1).executeTakeFirst();
  const leased = await db.selectFrom('timers').select('lease_until').where('lease_until', 'is not', null).orderBy('lease_until').limit(1).executeTakeFirst();
  const candidates = [free?.due_at, leased?.lease_until].filter((v): v is number => v !== undefined && v !== null).map(Number);
  return candidates.length > 0 ? Math.min(...candidates) : undefined;
}

/**
 * Lease up to `limit` due timers whose lease is free or expired. Leasing bumps `attempts`; a
 * replica that dies holding a lease loses it when `leaseUntil` passes.
 */
export async function leaseDueTimers(db: Db, now: number, leaseUntil: number, limit: number): Promise<TimerRow[]> {
  const due = await db
    .selectFrom('timers')
    .select('id')
    .where('due_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('due_at')
    .limit(limit)
    .execute();
  if (due.length === 0) return [];
  return db
    .updateTable('timers')
    .set((eb) => ({ lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', due.map((d) => d.id))
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .returningAll()
    .execute();
}

/** Remove a fired timer, only if we still hold its lease (it may have been moved meanwhile). */
export async function completeTimer(db: Db, id: string, lease: number): Promise<boolean> {
  const r = await db.deleteFrom('timers').where('id', '=', id).where('lease_until', '=', lease).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Give a lease back after a failed attempt, to be retried at `retryAt`. */
export async function retryTimer(db: Db, id: string, lease: number, retryAt: number): Promise<void> {
  await db.updateTable('timers').set({ lease_until: retryAt }).where('id', '=', id).where('lease_until', '=', lease).execute();
}
