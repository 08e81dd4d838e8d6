import { sql, type QueryCreator } from 'kysely';
import { affected, runCompiled } from './compiled.js';
import type { Db } from './connect.js';
import { dialectOf } from './dialect.js';
import type { Database, TimerRow } from './schema.js';

export interface NewTimer {
  kind: string;
  subject: string;
  dueAt: number;
  data?: unknown;
}

/** Create or move timers (one per kind and subject), in one statement. */
export async function setTimers(db: Db, timers: readonly NewTimer[], now: number): Promise<void> {
  if (timers.length === 0) return;
  // Compiled once per timer count: a unit of work sets a few.
  await runCompiled(db, `timers.set:${timers.length}`, timerValues(timers, now), (slot) => timersUpsert(db, slot, timers.length, 0));
}

/** The values of `timersUpsert`'s slots: five per timer, then the instant they are set at. */
export function timerValues(timers: readonly NewTimer[], now: number): unknown[] {
  return [
    ...timers.flatMap((t) => [`${t.kind}:${t.subject}`, t.kind, t.subject, t.dueAt, t.data === undefined ? null : JSON.stringify(t.data)]),
    now,
  ];
}

/** The upsert of `count` timers, their values in slots from `from` on (`timerValues`). */
export function timersUpsert(q: QueryCreator<Database>, slot: (index: number) => never, count: number, from: number) {
  const createdAt = slot(from + count * 5);
  return q
    .insertInto('timers')
    .values(
      Array.from({ length: count }, (_, i) => {
        const at = (j: number) => slot(from + i * 5 + j);
        return {
          id: at(0),
          kind: at(1),
          subject: at(2),
          due_at: at(3),
          next_at: at(3),
          data: at(4),
          attempts: 0,
          lease_until: null,
          created_at: createdAt,
        };
      }),
    )
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        due_at: eb.ref('excluded.due_at'),
        next_at: eb.ref('excluded.next_at'),
        data: eb.ref('excluded.data'),
        attempts: 0,
        lease_until: null,
      })),
    );
}

export async function cancelTimer(db: Db, kind: string, subject: string): Promise<void> {
  await db.deleteFrom('timers').where('id', '=', `${kind}:${subject}`).execute();
}

/** The earliest instant any timer wants attention (due, or its lease or backoff ending). */
export async function nextTimerDue(db: Db): Promise<number | undefined> {
  const row = await db.selectFrom('timers').select('next_at').orderBy('next_at').limit(1).executeTakeFirst();
  return row ? Number(row.next_at) : undefined;
}

/**
 * Lease up to `limit` timers that need attention now: due ones, and leased ones whose lease ran out
 * (their holder died). Leasing bumps `attempts` and moves `next_at` to the lease's end, so a
 * replica that dies holding a lease has its work picked up when the lease expires.
 */
/** A leased timer with its data decoded: what the scheduler hands to a handler. */
export type LeasedTimer = Omit<TimerRow, 'data'> & { data: unknown };

export async function leaseDueTimers(db: Db, now: number, leaseUntil: number, limit: number): Promise<LeasedTimer[]> {
  const rows =
    dialectOf(db) === 'postgres' ? await leaseDueTimersLocking(db, now, leaseUntil, limit) : await leaseDueTimersAlone(db, now, leaseUntil, limit);
  // In due order (an UPDATE returns its rows in no particular order), so the earliest fire first.
  return rows
    .map((r) => ({ ...r, data: r.data === null ? undefined : (JSON.parse(r.data) as unknown) }))
    .sort((a, b) => Number(a.due_at) - Number(b.due_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** SQLite, one process: pick the due rows, then lease those still due. */
async function leaseDueTimersAlone(db: Db, now: number, leaseUntil: number, limit: number): Promise<TimerRow[]> {
  const due = await db.selectFrom('timers').select('id').where('next_at', '<=', now).orderBy('next_at').limit(limit).execute();
  if (due.length === 0) return [];
  return db
    .updateTable('timers')
    .set((eb) => ({ lease_until: leaseUntil, next_at: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where(
      'id',
      'in',
      due.map((d) => d.id),
    )
    .where('next_at', '<=', now)
    .returningAll()
    .execute();
}

/**
 * PostgreSQL, several replicas: one statement (its own transaction) locks the earliest due rows,
 * skipping rows another replica is leasing at this moment instead of waiting for them, and leases
 * what it locked. Replicas ticking together take different timers and none waits on another; the
 * `next_at` check on the SQLite path is not needed here, as no row can change while it is locked.
 */
async function leaseDueTimersLocking(db: Db, now: number, leaseUntil: number, limit: number): Promise<TimerRow[]> {
  return db
    .with('due', (q) => q.selectFrom('timers').select('id').where('next_at', '<=', now).orderBy('next_at').limit(limit).forUpdate().skipLocked())
    .updateTable('timers')
    .set((eb) => ({ lease_until: leaseUntil, next_at: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
    .returningAll()
    .execute();
}

/** Remove a fired timer, only if we still hold its lease (it may have been moved meanwhile). */
export async function completeTimer(db: Db, id: string, lease: number): Promise<boolean> {
  // Compiled once: it runs for every timer fired.
  const r = await runCompiled(db, 'timers.complete', [id, lease], (slot) =>
    db.deleteFrom('timers').where('id', '=', slot(0)).where('lease_until', '=', slot(1)),
  );
  return affected(r) === 1;
}

/**
 * In the caller's transaction: of the timers `ids` leased until `lease`, those still ours (not moved,
 * cancelled or taken over since), row-locked on PostgreSQL until the transaction ends, so nobody else
 * moves or takes them meanwhile. SQLite has one writer: its transaction is enough.
 */
export async function holdLeasedTimers(db: Db, ids: readonly string[], lease: number): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const query = db.selectFrom('timers').select('id').where('id', 'in', ids).where('lease_until', '=', lease);
  const rows = await (dialectOf(db) === 'postgres' ? query.forUpdate() : query).execute();
  return new Set(rows.map((r) => r.id));
}

/** Remove fired timers in one statement, each only if it still carries our lease (a handler may have set it again). */
export async function completeTimers(db: Db, ids: readonly string[], lease: number): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('timers').where('id', 'in', ids).where('lease_until', '=', lease).execute();
}

/**
 * In the caller's transaction, on PostgreSQL: give up (error 55P03) rather than wait longer than `ms`
 * for a row lock. SQLite has no row locks: nothing to do.
 */
export async function limitLockWaits(db: Db, ms: number): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`select set_config('lock_timeout', ${`${Math.round(ms)}ms`}, true)`.execute(db);
}

/** Give a lease back after a failed attempt, to be tried again at `retryAt`. */
export async function retryTimer(db: Db, id: string, lease: number, retryAt: number): Promise<void> {
  await db.updateTable('timers').set({ lease_until: null, next_at: retryAt }).where('id', '=', id).where('lease_until', '=', lease).execute();
}

/** Whether a timer of this kind and subject is armed (due, leased or backing off). */
export async function isTimerArmed(db: Db, kind: string, subject: string): Promise<boolean> {
  const row = await db.selectFrom('timers').select('id').where('id', '=', `${kind}:${subject}`).executeTakeFirst();
  return row !== undefined;
}
