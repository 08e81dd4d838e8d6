import { runCompiled } from './compiled.js';
import type { Db } from './connect.js';
import type { EventRow } from './schema.js';

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

export async function insertEvent(db: Db, event: TicketEvent): Promise<void> {
  const row = [event.id, event.ticket, event.at, JSON.stringify(event.actor), event.kind, JSON.stringify(event.data)];
  await runCompiled(db, 'ticket_events.insert', row, (slot) =>
    db.insertInto('ticket_events').values({ id: slot(0), ticket: slot(1), at: slot(2), actor: slot(3), kind: slot(4), data: slot(5) }),
  );
}

/** A ticket's audit log, oldest first (ids are time-ordered). */
export async function listEvents(db: Db, ticket: number): Promise<TicketEvent[]> {
  const rows = await db.selectFrom('ticket_events').selectAll().where('ticket', '=', ticket).orderBy('ticket').orderBy('id').execute();
  return rows.map(decodeEvent);
}
