/**
 * The record kept and let go: export pages, the retention timer's deletions of old closed tickets'
 * conversation text, and erasing one person's messages on request. Fields and figures (status,
 * priority, tier, instants, ratings) stay for reports; words go.
 */
import { sql } from 'kysely';
import type { Db } from './connect.js';
import type { EventRow } from './schema.js';
import { ticketRecord, type TicketRecord } from './tickets.js';

/** Event data keys that hold someone's words. */
export const WORD_KEYS = ['text', 'question', 'resolution', 'reason', 'comment', 'title', 'description'] as const;

/** Remove the words from an event's data; undefined when it held none. */
export function withoutWords(data: string, keys: readonly string[] = WORD_KEYS): string | undefined {
  const d = JSON.parse(data) as Record<string, unknown>;
  const removed = keys.filter((k) => k in d);
  if (removed.length === 0) return undefined;
  for (const k of removed) delete d[k];
  return JSON.stringify({ ...d, removed });
}

/** Closed tickets closed before `cutoff` whose words are still there, oldest first. */
export async function ticketsToRedact(db: Db, cutoff: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('tickets')
    .select('number')
    .where('redacted_at', 'is', null)
    .where('closed_at', '<', cutoff)
    .where('status', '=', 'closed')
    .orderBy('closed_at')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.number));
}

/**
 * Delete ticket `number`'s conversation text: its description and resolution, the words in its
 * events (the title and the opening fields stay), rating comments, and the delivered messages'
 * copies in the outbox. Returns how many events lost words.
 */
export async function redactTicket(db: Db, number: number, now: number): Promise<number> {
  await db
    .updateTable('tickets')
    .set({ description: '', resolution: null, redacted_at: now, revision: sql`revision + 1` })
    .where('number', '=', number)
    .execute();
  const events = await db.selectFrom('ticket_events').select(['id', 'data']).where('ticket', '=', number).execute();
  let changed = 0;
  for (const e of events) {
    const data = withoutWords(
      e.data,
      WORD_KEYS.filter((k) => k !== 'title'),
    );
    if (data === undefined) continue;
    await db.updateTable('ticket_events').set({ data }).where('ticket', '=', number).where('id', '=', e.id).execute();
    changed++;
  }
  await db.updateTable('csat_ratings').set({ comment: null }).where('ticket', '=', number).execute();
  await forgetDeliveredCopies(db, [number]);
  return changed;
}

/** Delivered (or given-up) outbox rows keep a copy of what they carried: keep the row, drop the copy. */
async function forgetDeliveredCopies(db: Db, tickets: number[]): Promise<void> {
  if (tickets.length === 0) return;
  await db.updateTable('outbox').set({ card: '{}' }).where('ticket', 'in', tickets).where('status', '!=', 'pending').execute();
}

/** A person as events record them. */
export interface PersonRef {
  platform: string;
  id: string;
}

/** `%"id":"U1"%`, with LIKE's wildcards escaped: a coarse filter, checked exactly after. */
function actorPattern(person: PersonRef): string {
  return `%"id":${JSON.stringify(person.id)}%`.replace(/[\\%_]/g, (c, i: number, s: string) => (i === 0 || i === s.length - 1 ? c : `\\${c}`));
}

/** Every event written by `person`, a page at a time (keyset on the event id): the page's matches and where the next starts. */
export async function eventsBy(db: Db, person: PersonRef, after: string, limit: number): Promise<{ events: EventRow[]; next?: string }> {
  const rows = await db
    .selectFrom('ticket_events')
    .selectAll()
    .where(sql<boolean>`actor like ${actorPattern(person)} escape '\\'`)
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
  const events = rows.filter((r) => {
    const a = JSON.parse(r.actor) as { platform?: string; id?: string };
    return a.platform === person.platform && a.id === person.id;
  });
  return rows.length < limit ? { events } : { events, next: rows[rows.length - 1]!.id };
}

/** Tickets `person` raised. */
export async function ticketsRaisedBy(db: Db, person: PersonRef): Promise<number[]> {
  const rows = await db
    .selectFrom('tickets')
    .select('number')
    .where('requester_platform', '=', person.platform)
    .where('requester_id', '=', person.id)
    .execute();
  return rows.map((r) => Number(r.number));
}

/** Erase `person`'s words: their events' texts, their tickets' titles, descriptions and rating comments. */
export async function erasePersonWords(db: Db, person: PersonRef, raised: number[], events: EventRow[]): Promise<void> {
  for (const e of events) {
    const data = withoutWords(e.data);
    if (data !== undefined) await db.updateTable('ticket_events').set({ data }).where('ticket', '=', e.ticket).where('id', '=', e.id).execute();
  }
  if (raised.length > 0) {
    await db
      .updateTable('tickets')
      .set({ title: '(removed on request)', description: '', revision: sql`revision + 1` })
      .where('number', 'in', raised)
      .execute();
    await db.updateTable('csat_ratings').set({ comment: null }).where('ticket', 'in', raised).execute();
  }
  await forgetDeliveredCopies(db, [...new Set([...raised, ...events.map((e) => Number(e.ticket))])]);
}

/** One page of tickets created in [from, to), after ticket `after`, with their events, in number order. */
export async function exportPage(
  db: Db,
  range: { from?: number; to?: number },
  after: number,
  limit: number,
): Promise<Array<{ ticket: TicketRecord; events: EventRow[] }>> {
  let q = db.selectFrom('tickets').selectAll().where('number', '>', after);
  if (range.from !== undefined) q = q.where('created_at', '>=', range.from);
  if (range.to !== undefined) q = q.where('created_at', '<', range.to);
  const tickets = await q.orderBy('number').limit(limit).execute();
  if (tickets.length === 0) return [];
  const numbers = tickets.map((t) => Number(t.number));
  const events = await db
    .selectFrom('ticket_events')
    .selectAll()
    .where('ticket', '>=', numbers[0]!)
    .where('ticket', '<=', numbers[numbers.length - 1]!)
    .orderBy('ticket')
    .orderBy('id')
    .execute();
  const byTicket = new Map<number, EventRow[]>(numbers.map((n) => [n, []]));
  for (const e of events) byTicket.get(Number(e.ticket))?.push(e);
  return tickets.map((t) => ({ ticket: ticketRecord(t), events: byTicket.get(Number(t.number)) ?? [] }));
}

/** Whether a timer is armed already. */
export async function timerArmed(db: Db, kind: string, subject: string): Promise<boolean> {
  return (await db.selectFrom('timers').select('id').where('id', '=', `${kind}:${subject}`).executeTakeFirst()) !== undefined;
}
