import { sql } from 'kysely';
import type { Db } from './connect.js';
import { LIMIT_ONE, runCompiled } from './compiled.js';
import { nextCounter } from './counters.js';
import { dialectOf } from './dialect.js';
import type { Place } from '../ports.js';
import type { NewTicketRow, TicketRow, TicketUpdate } from './schema.js';

/** A ticket's row with its JSON columns decoded: where it was raised, the SLA marks already announced. */
export type TicketRecord = Omit<TicketRow, 'origin' | 'sla_marks'> & { origin: Place | null; sla_marks: string[] };
/** A new ticket's row; `sla_marks` null until a warning is announced. */
export type NewTicket = Omit<NewTicketRow, 'origin' | 'sla_marks'> & { origin: Place | null; sla_marks: string[] | null };
/** The columns a use case may change on a ticket. */
export type TicketPatch = Omit<TicketUpdate, 'origin' | 'sla_marks'> & { origin?: Place | null; sla_marks?: string[] };

/** The one place the tickets table's JSON columns are read. */
export function ticketRecord(row: TicketRow): TicketRecord {
  return {
    ...row,
    origin: row.origin === null ? null : (JSON.parse(row.origin) as Place),
    sla_marks: row.sla_marks ? (JSON.parse(row.sla_marks) as string[]) : [],
  };
}

function encodeJsonColumns<T extends { origin?: Place | null; sla_marks?: string[] | null }>(
  row: T,
): Omit<T, 'origin' | 'sla_marks'> & { origin?: string | null; sla_marks?: string | null } {
  const { origin, sla_marks, ...rest } = row;
  return {
    ...rest,
    ...(origin !== undefined ? { origin: origin === null ? null : JSON.stringify(origin) } : {}),
    ...(sla_marks !== undefined ? { sla_marks: sla_marks === null ? null : JSON.stringify(sla_marks) } : {}),
  };
}

/**
 * Allocate the next ticket number. SQLite: the counter row, inside the transaction, so a rollback
 * never skips a number. PostgreSQL: the `ticket_numbers` sequence, which holds no lock while the
 * transaction runs (replicas open tickets side by side); a rolled-back transaction leaves a gap.
 */
export async function nextTicketNumber(db: Db): Promise<number> {
  if (dialectOf(db) === 'postgres') {
    const { rows } = await sql<{ n: number }>`select nextval('ticket_numbers') as n`.execute(db);
    return Number(rows[0]!.n);
  }
  return nextCounter(db, 'ticket');
}

/** The columns a new ticket is written with after its number, in one order: one statement for every ticket. */
const NEW_TICKET_COLUMNS = [
  ...['title', 'description', 'category', 'product', 'product_version', 'impact', 'urgency', 'priority', 'tier', 'status'],
  ...['requester_platform', 'requester_space', 'requester_id', 'requester_name', 'requester_zone', 'origin', 'assignee', 'assignee_name'],
  ...['created_at', 'updated_at', 'first_response_at', 'resolved_at', 'closed_at', 'resolution', 'revision', 'sla_policy', 'sla_group', 'sla_marks'],
] as const satisfies ReadonlyArray<keyof NewTicket>;

/**
 * Write a new ticket under the next number (`nextTicketNumber`'s) and return that number. On
 * PostgreSQL the insert takes it from the sequence itself and returns it: one round trip, not two.
 */
export async function insertTicket(db: Db, ticket: Omit<NewTicket, 'number'>): Promise<number> {
  const values = NEW_TICKET_COLUMNS.map((c) =>
    c === 'origin' || c === 'sla_marks' ? ((ticket[c] ?? null) === null ? null : JSON.stringify(ticket[c])) : (ticket[c] ?? null),
  );
  const row = (number: unknown, slot: (index: number) => never) =>
    ({ number, ...Object.fromEntries(NEW_TICKET_COLUMNS.map((c, i) => [c, slot(i + 1)])) }) as unknown as NewTicketRow;
  if (dialectOf(db) === 'postgres') {
    const { rows } = await runCompiled(db, 'tickets.insert', [undefined, ...values], (slot) =>
      db
        .insertInto('tickets')
        .values(row(sql`nextval('ticket_numbers')`, slot))
        .returning('number'),
    );
    return Number(rows[0]!.number);
  }
  const number = await nextCounter(db, 'ticket');
  await runCompiled(db, 'tickets.insert', [number, ...values], (slot) => db.insertInto('tickets').values(row(slot(0), slot)));
  return number;
}

export async function findTicket(db: Db, number: number): Promise<TicketRecord | undefined> {
  const row = await db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirst();
  return row ? ticketRecord(row) : undefined;
}

/**
 * Write `patch` only if nobody changed the ticket since `revision` was read; bumps the revision.
 * Returns false when someone else got there first.
 */
export async function updateTicket(db: Db, number: number, revision: number, patch: TicketPatch): Promise<boolean> {
  const result = await db
    .updateTable('tickets')
    .set({ ...(encodeJsonColumns(patch) as TicketUpdate), revision: revision + 1 })
    .where('number', '=', number)
    .where('revision', '=', revision)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface TicketFilter {
  statuses?: string[];
  tier?: string;
  assignee?: string;
  requester?: { platform: string; space: string; id: string };
  limit: number;
}

/** Newest first. */
export async function listTickets(db: Db, filter: TicketFilter): Promise<TicketRecord[]> {
  let q = db.selectFrom('tickets').selectAll();
  if (filter.statuses && filter.statuses.length > 0) q = q.where('status', 'in', filter.statuses);
  if (filter.tier !== undefined) q = q.where('tier', '=', filter.tier);
  if (filter.assignee !== undefined) q = q.where('assignee', '=', filter.assignee);
  if (filter.requester) {
    q = q
      .where('requester_platform', '=', filter.requester.platform)
      .where('requester_space', '=', filter.requester.space)
      .where('requester_id', '=', filter.requester.id);
  }
  return (await q.orderBy('number', 'desc').limit(filter.limit).execute()).map(ticketRecord);
}

/** How many of this requester's tickets are not resolved or closed. */
export async function countOpenTicketsOf(db: Db, requester: { platform: string; space: string; id: string }): Promise<number> {
  const row = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('requester_platform', '=', requester.platform)
    .where('requester_space', '=', requester.space)
    .where('requester_id', '=', requester.id)
    .where('status', 'in', ['open', 'claimed', 'waiting_on_requester'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** When this requester last opened a ticket, if ever. */
export async function lastTicketOpenedBy(db: Db, requester: { platform: string; space: string; id: string }): Promise<number | undefined> {
  const row = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('requester_platform', '=', requester.platform)
    .where('requester_space', '=', requester.space)
    .where('requester_id', '=', requester.id)
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
}

/**
 * The latest ticket this requester opened since `since` with exactly this title and description:
 * the same request sent again (after a platform timeout, a double click), not a new one.
 */
export async function findSameRecentTicket(
  db: Db,
  requester: { platform: string; space: string; id: string },
  same: { title: string; description: string },
  since: number,
): Promise<{ number: number; createdAt: number } | undefined> {
  // Through the index on (requester, title, created_at): migrations/2026-12-08-81-tickets-requester-title.ts.
  const { rows } = await runCompiled(
    db,
    'tickets.same_recent',
    [requester.platform, requester.space, requester.id, same.title, since, same.description],
    (slot) =>
      db
        .selectFrom('tickets')
        .select(['number', 'created_at'])
        .where('requester_platform', '=', slot(0))
        .where('requester_space', '=', slot(1))
        .where('requester_id', '=', slot(2))
        .where('title', '=', slot(3))
        .where('created_at', '>=', slot(4))
        .where('description', '=', slot(5))
        // In the index's own order, and a LIMIT written into the SQL (src/store/compiled.ts: `LIMIT_ONE`).
        .orderBy('created_at', 'desc')
        .limit(LIMIT_ONE),
  );
  const row = rows[0];
  return row ? { number: Number(row.number), createdAt: Number(row.created_at) } : undefined;
}

/** Tickets created in [from, to), by number. */
export async function ticketsCreatedIn(db: Db, from: number, to: number): Promise<TicketRecord[]> {
  const rows = await db.selectFrom('tickets').selectAll().where('created_at', '>=', from).where('created_at', '<', to).orderBy('number').execute();
  return rows.map(ticketRecord);
}

/** How many tickets are not yet resolved, per tier (tiers with none are absent). */
export async function backlogByTier(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('tickets')
    .select(['tier', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['open', 'claimed', 'waiting_on_requester'])
    .groupBy('tier')
    .execute();
  return new Map(rows.map((r) => [r.tier, Number(r.n)]));
}
