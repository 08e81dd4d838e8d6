import { sql } from 'kysely';
import type { Db } from './connect.js';
import { dialectOf } from './dialect.js';

/** A person on a platform, as the lock knows them. */
export interface Requester {
  platform: string;
  space: string;
  id: string;
}

/** A namespace for tierdesk's per-requester advisory locks, apart from kysely's migration lock. */
const REQUESTER_LOCK_SPACE = 0x7464; // "td"

/** The requesters each transaction holds the lock of: taken once, it is held until the transaction ends. */
const held = new WeakMap<Db, Set<string>>();

/** The text the lock is keyed by (hashed by PostgreSQL). */
export function lockKey(requester: Requester): string {
  return JSON.stringify([requester.platform, requester.space, requester.id]);
}

/**
 * Serialise, until the transaction ends, every transaction that opens a ticket for this requester, so
 * the open-ticket cap and the cooldown are checked against committed rows (check-then-insert). On
 * PostgreSQL a transaction-scoped advisory lock keyed by a hash of the person (a rare hash collision
 * only makes two people wait for each other); SQLite already runs one writer at a time. A transaction
 * that holds it already (`lockRequesterWith`) asks nothing more.
 */
export async function lockRequester(db: Db, requester: Requester): Promise<void> {
  if (dialectOf(db) !== 'postgres' || held.get(db)?.has(lockKey(requester))) return;
  await sql`select ${lockExpression(lockKey(requester))}`.execute(db);
  markHeld(db, requester);
}

/**
 * The lock as an expression of its key (`lockKey`, or a query's stand-in for it), for a statement that
 * has something else to do first (PostgreSQL only): the statement that records an inbound key takes
 * it too (src/store/inbound-keys.ts), one round trip. Call `markHeld` once that statement has run.
 */
export function lockExpression(key: unknown) {
  return sql<string>`pg_advisory_xact_lock(${REQUESTER_LOCK_SPACE}, hashtext(${key}))`;
}

export function markHeld(db: Db, requester: Requester): void {
  let keys = held.get(db);
  if (!keys) held.set(db, (keys = new Set()));
  keys.add(lockKey(requester));
}
