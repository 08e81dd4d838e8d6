import type { ExpressionBuilder, QueryCreator } from 'kysely';
import { runCompiled } from './compiled.js';
import type { Db } from './connect.js';
import { dialectOf } from './dialect.js';
import type { Card, OutboundEvent, OutboundFile, Person, Place, ThreadLabel } from '../ports.js';
import type { Database, OutboxRow } from './schema.js';

/** Where an outbox row goes; resolved to a platform place only when it is delivered. */
export type Target =
  | { kind: 'place'; place: Place }
  | { kind: 'direct'; person: Person }
  /** A private place for one ticket's conversation (a private thread where the platform has them, else a DM). */
  | { kind: 'private'; person: Person; title: string }
  | { kind: 'thread'; of: string };

/** What an outbox row asks of the platform, by its op. */
export type OutboxBody =
  | { op: 'post' | 'edit'; card: Card }
  | { op: 'members'; people: Person[] }
  | { op: 'label'; label: ThreadLabel }
  /** Close (archive and lock) or open again the private thread under the message. */
  | { op: 'seal'; closed: boolean }
  | { op: 'grant'; group: string }
  /** An on-call handle's members: the group (also the target's channel) in its space. */
  | { op: 'handle'; group: string; space: string; people: Person[] }
  | { op: 'upload'; file: OutboundFile; card: Card; fallback?: Card }
  /** A lifecycle event for the outbound webhook the target names (src/core/webhook-lane.ts). */
  | { op: 'webhook'; event: OutboundEvent };

/** An outbox row with its JSON columns (target, card) decoded. */
export type OutboxItem = Omit<OutboxRow, 'target' | 'card'> & { target: Target; body: OutboxBody };
export type NewOutboxItem = Omit<OutboxItem, 'op' | 'status' | 'attempts' | 'lease_until' | 'last_error' | 'sent_at'>;

/** The `card` column: a post's or an edit's card itself, any other op's data without its op. */
function encodeBody(body: OutboxBody): string {
  if (body.op === 'post' || body.op === 'edit') return JSON.stringify(body.card);
  const { op: _op, ...data } = body;
  return JSON.stringify(data);
}

function outboxItem(row: OutboxRow): OutboxItem {
  const { card, target, ...rest } = row;
  const data: unknown = JSON.parse(card);
  const op = row.op as OutboxBody['op'];
  // A row of an op this version does not know is delivered as a post (as it always was).
  const body = (
    op === 'edit' || !['members', 'label', 'seal', 'grant', 'handle', 'upload', 'webhook'].includes(op)
      ? { op: op === 'edit' ? 'edit' : 'post', card: data }
      : { op, ...(data as object) }
  ) as OutboxBody;
  return { ...rest, target: JSON.parse(target) as Target, body };
}

export async function insertOutbox(db: Db, items: NewOutboxItem[]): Promise<void> {
  if (items.length === 0) return;
  // Compiled once per row count (a unit of work writes a handful); the constant columns stay literal parameters.
  await runCompiled(db, `outbox.insert:${items.length}`, outboxValues(items), (slot) => outboxInsert(db, slot, items.length, 0));
}

/** The values of `outboxInsert`'s slots: nine per row. */
export function outboxValues(items: readonly NewOutboxItem[]): unknown[] {
  return items.flatMap((r) => [
    r.id,
    r.created_at,
    JSON.stringify(r.target),
    r.body.op,
    r.message_key,
    r.ticket,
    r.side,
    encodeBody(r.body),
    r.next_attempt_at,
  ]);
}

/** The insert of `count` new outbox rows, their values in slots from `from` on (`outboxValues`). */
export function outboxInsert(q: QueryCreator<Database>, slot: (index: number) => never, count: number, from: number) {
  return q.insertInto('outbox').values(
    Array.from({ length: count }, (_, i) => {
      const at = (j: number) => slot(from + i * 9 + j);
      return {
        ...{ id: at(0), created_at: at(1), target: at(2), op: at(3), message_key: at(4), ticket: at(5), side: at(6), card: at(7) },
        ...{ next_attempt_at: at(8), status: 'pending', attempts: 0, lease_until: null, last_error: null, sent_at: null },
      };
    }),
  );
}

/**
 * Drop pending, unleased edits of `messageKey`: a newer edit replaces the whole card, so only the
 * latest needs sending (fewer calls when a platform is rate limiting us).
 */
export async function dropPendingEdits(db: Db, messageKey: string): Promise<number | undefined> {
  const dropped = await db
    .deleteFrom('outbox')
    .where('status', '=', 'pending')
    .where('op', '=', 'edit')
    .where('message_key', '=', messageKey)
    .where('lease_until', 'is', null)
    .returning(['next_attempt_at'])
    .execute();
  // The newer edit inherits any wait the platform asked for (Retry-After), not a fresh start.
  return dropped.length > 0 ? Math.max(...dropped.map((d) => Number(d.next_attempt_at))) : undefined;
}

/** The oldest pending rows after `after` (an id), due or not: the dispatcher keeps per-conversation order with them. */
export async function pendingOutbox(db: Db, limit: number, after?: string): Promise<OutboxItem[]> {
  let q = db.selectFrom('outbox').selectAll().where('status', '=', 'pending');
  if (after !== undefined) q = q.where('id', '>', after);
  return (await q.orderBy('id').limit(limit).execute()).map(outboxItem);
}

export async function markSent(db: Db, id: string, at: number): Promise<void> {
  await db.updateTable('outbox').set({ status: 'sent', sent_at: at, lease_until: null, last_error: null }).where('id', '=', id).execute();
}

export async function markRetry(db: Db, id: string, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ attempts, next_attempt_at: nextAttemptAt, last_error: error, lease_until: null })
    .where('id', '=', id)
    .execute();
}

export async function markDead(db: Db, id: string, attempts: number, error: string): Promise<void> {
  await db.updateTable('outbox').set({ status: 'dead', attempts, last_error: error, lease_until: null }).where('id', '=', id).execute();
}

export async function countPending(db: Db): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** When the earliest pending row may be tried. */
/**
 * When the next pending row is due. Given `now`, rows another process holds a lease on are left
 * out: they are its to deliver, and waking for them would only find them taken again and again
 * (the loop's idle wake-up still looks, so a dead holder's rows are taken once its lease ends).
 */
export async function nextOutboxDue(db: Db, now?: number): Promise<number | undefined> {
  let q = db.selectFrom('outbox').select('next_attempt_at').where('status', '=', 'pending');
  if (now !== undefined) q = q.where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]));
  const row = await q.orderBy('next_attempt_at').limit(1).executeTakeFirst();
  const due = row ? Number(row.next_attempt_at) : undefined;
  if (now === undefined) return due;
  // A leased row is looked at again when its lease ends: its holder may be gone (a replica that died,
  // or this process, whose pass failed with the database before it could give the lease back).
  const leased = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min<number>('lease_until').as('until'))
    // Only pending rows hold leases (sending, rescheduling and giving up clear them), so the small
    // index of leased rows (outbox_leased) answers this without reading the backlog.
    .where('lease_until', '>', now)
    .executeTakeFirst();
  const until = leased?.until === null || leased?.until === undefined ? undefined : Number(leased.until);
  return due === undefined ? until : until === undefined ? due : Math.min(due, until);
}

/**
 * Lease pending rows whose lease is free or expired; returns the ids won. One conditional update,
 * so two processes racing for the same rows each win only what the other did not.
 */
export async function leaseOutbox(db: Db, ids: string[], now: number, until: number): Promise<string[]> {
  if (ids.length === 0) return [];
  // Pending, due (a row another process just put back into backoff is not taken from a stale read),
  // and with no lease or an expired one.
  const free = (eb: ExpressionBuilder<Database, 'outbox'>) =>
    eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)])]);
  const won = await db
    .updateTable('outbox')
    .set({ lease_until: until })
    .where('id', 'in', ids)
    .where(free)
    // PostgreSQL: rows another replica is leasing at this instant are skipped, not waited for.
    .$if(dialectOf(db) === 'postgres', (q) =>
      q.where('id', 'in', (eb) => eb.selectFrom('outbox').select('id').where('id', 'in', ids).where(free).forUpdate().skipLocked()),
    )
    .returning('id')
    .execute();
  return won.map((r) => r.id);
}

/**
 * Extend the lease on a row only if it is still exactly the one this process took (`held`): false
 * when another process has taken the row since (our lease ran out while we were busy), and then
 * it is theirs to deliver. Checked against the database, so clocks that disagree cannot fool it.
 */
export async function renewLease(db: Db, id: string, held: number, until: number): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({ lease_until: until })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('lease_until', '=', held)
    .returning('id')
    .execute();
  return r.length === 1;
}

/** Give back leases this process holds (`held`: the value it wrote), for rows it will not deliver in this pass. */
export async function releaseLeases(db: Db, ids: string[], held: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('outbox')
    .set({ lease_until: null })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .where('lease_until', '=', held)
    .execute();
}

/** Whether the newest post of a keyed message was given up (dead). */
export async function postGivenUp(db: Db, messageKey: string): Promise<boolean> {
  const row = await db
    .selectFrom('outbox')
    .select('status')
    .where('message_key', '=', messageKey)
    .where('op', '=', 'post')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.status === 'dead';
}
