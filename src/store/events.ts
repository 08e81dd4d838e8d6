import type { QueryCreator } from 'kysely';
import { runCompiled } from './compiled.js';
import type { Db } from './connect.js';
import { dialectOf } from './dialect.js';
import { countEvent, countQuery, countValues, isCounted } from './metric-counts.js';
import type { Database, EventRow } from './schema.js';

/** Who made a change, as kept with its event: tierdesk itself, or a person on a platform. */
export interface EventActor {
  kind: 'system' | 'person';
  platform?: string;
  space?: string;
  id?: string;
  name?: string;
  personId?: string;
}

/** A ticket's event as use cases read and write it: its actor and data decoded (the row keeps them as JSON). */
export interface TicketEvent {
  id: string;
  ticket: number;
  at: number;
  kind: string;
  actor: EventActor;
  data: Record<string, unknown>;
}

/** The one place an event row's JSON columns are read. */
export function decodeEvent(row: EventRow): TicketEvent {
  return {
    id: row.id,
    ticket: Number(row.ticket),
    at: Number(row.at),
    kind: row.kind,
    actor: JSON.parse(row.actor) as EventActor,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

/**
 * Append an event to its ticket's log and, for the kinds /metrics counts, add it to the running
 * totals (`countEvent`), in the caller's transaction. On PostgreSQL both are one statement.
 */
export async function insertEvent(db: Db, event: TicketEvent): Promise<void> {
  const row = [event.id, event.ticket, event.at, JSON.stringify(event.actor), event.kind, JSON.stringify(event.data)];
  const insert = (q: QueryCreator<Database>, slot: (index: number) => never) =>
    q.insertInto('ticket_events').values({ id: slot(0), ticket: slot(1), at: slot(2), actor: slot(3), kind: slot(4), data: slot(5) });
  if (!isCounted(event.kind) || dialectOf(db) !== 'postgres') {
    await runCompiled(db, 'ticket_events.insert', row, (slot) => insert(db, slot));
    await countEvent(db, event.ticket, event.kind);
    return;
  }
  await runCompiled(db, 'ticket_events.insert_counted', [...row, ...countValues(event.ticket, event.kind)], (slot) =>
    // The count does not read the event: only its statement is shared (the insert as a CTE).
    countQuery(db.with('event', (q) => insert(q, slot)) as unknown as QueryCreator<Database>, db, slot, row.length),
  );
}

/** A ticket's audit log, oldest first (ids are time-ordered). */
export async function listEvents(db: Db, ticket: number): Promise<TicketEvent[]> {
  const rows = await db.selectFrom('ticket_events').selectAll().where('ticket', '=', ticket).orderBy('ticket').orderBy('id').execute();
  return rows.map(decodeEvent);
}
