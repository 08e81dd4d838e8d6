/** The dashboard's queries: sign-in links, sessions, its secret, and the queue page. */
import { sql } from 'kysely';
import type { Db } from './connect.js';
import { ticketRecord, type TicketRecord } from './tickets.js';

/** A setting, or `make()`'s value stored at once (the first replica to store it wins; all read the same). */
export async function settingOrCreate(db: Db, name: string, make: () => string): Promise<string> {
  const found = await db.selectFrom('web_settings').select('value').where('name', '=', name).executeTakeFirst();
  if (found) return found.value;
  await db
    .insertInto('web_settings')
    .values({ name, value: make() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return (await db.selectFrom('web_settings').select('value').where('name', '=', name).executeTakeFirstOrThrow()).value;
}

export async function saveLoginLink(db: Db, link: { nonce: string; person: string; expiresAt: number }): Promise<void> {
  await db.insertInto('web_login_links').values({ nonce: link.nonce, person: link.person, expires_at: link.expiresAt, used_at: null }).execute();
}

/** Use a link once: true for exactly one caller, while it is unexpired. Expired and used links are pruned. */
export async function useLoginLink(db: Db, nonce: string, person: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('web_login_links')
    .set({ used_at: now })
    .where('nonce', '=', nonce)
    .where('person', '=', person)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  await db
    .deleteFrom('web_login_links')
    .where('expires_at', '<', now - 86_400_000)
    .execute();
  return Number(r.numUpdatedRows) === 1;
}

export interface SessionRow {
  person: string;
  csrf: string;
  expiresAt: number;
}

export async function saveSession(
  db: Db,
  s: { tokenHash: string; person: string; csrf: string; createdAt: number; expiresAt: number },
): Promise<void> {
  await db
    .insertInto('web_sessions')
    .values({ token_hash: s.tokenHash, person: s.person, csrf: s.csrf, created_at: s.createdAt, expires_at: s.expiresAt })
    .execute();
}

export async function findSession(db: Db, tokenHash: string, now: number): Promise<SessionRow | undefined> {
  const row = await db.selectFrom('web_sessions').selectAll().where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst();
  return row ? { person: row.person, csrf: row.csrf, expiresAt: Number(row.expires_at) } : undefined;
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('token_hash', '=', tokenHash).execute();
}

/** Revoke the sessions of one person, or everyone's; returns how many. */
export async function revokeSessions(db: Db, person?: string): Promise<number> {
  let q = db.deleteFrom('web_sessions');
  if (person !== undefined) q = q.where('person', '=', person);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

export interface QueueFilter {
  statuses: readonly string[];
  /** Only these tiers (undefined: all). */
  tiers?: readonly string[];
  priority?: string;
  /** People id, or `none` for unassigned. */
  assignee?: string;
  /** Only tickets raised by one of these identities. */
  requesters?: ReadonlyArray<{ platform: string; id: string }>;
  limit: number;
  offset: number;
}

export type QueueRow = TicketRecord & { next_due: number | null };

/**
 * The queue: tickets matching `filter`, the next SLA deadline first (the due time of the ticket's
 * nearest SLA timer: its next warning or its breach; tickets without one last), then by number.
 */
export async function queuePage(db: Db, filter: QueueFilter): Promise<{ rows: QueueRow[]; total: number }> {
  let q = db.selectFrom('tickets');
  if (filter.statuses.length > 0) q = q.where('status', 'in', [...filter.statuses]);
  if (filter.tiers !== undefined) q = filter.tiers.length > 0 ? q.where('tier', 'in', [...filter.tiers]) : q.where(sql<boolean>`1 = 0`);
  if (filter.priority !== undefined) q = q.where('priority', '=', filter.priority);
  if (filter.assignee === 'none') q = q.where('assignee', 'is', null);
  else if (filter.assignee !== undefined) q = q.where('assignee', '=', filter.assignee);
  if (filter.requesters !== undefined) {
    const who = filter.requesters;
    q = q.where((eb) => eb.or(who.map((r) => eb.and([eb('requester_platform', '=', r.platform), eb('requester_id', '=', r.id)]))));
  }
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  // Timers are keyed `sla:N:clock`: two primary-key lookups per ticket.
  const nextDue = sql<number | null>`(select min(due_at) from timers where id in (
    'sla:' || cast(tickets.number as text) || ':first_response', 'sla:' || cast(tickets.number as text) || ':resolution'))`;
  const rows = await q
    .selectAll('tickets')
    .select(nextDue.as('next_due'))
    .orderBy(sql`case when next_due is null then 1 else 0 end`)
    .orderBy('next_due')
    .orderBy('number')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { rows: rows.map((r) => ({ ...ticketRecord(r), next_due: r.next_due === null ? null : Number(r.next_due) })), total };
}

export async function ticketsByNumbers(db: Db, numbers: readonly number[]): Promise<TicketRecord[]> {
  if (numbers.length === 0) return [];
  const rows = await db
    .selectFrom('tickets')
    .selectAll()
    .where('number', 'in', [...numbers])
    .execute();
  return rows.map(ticketRecord);
}
