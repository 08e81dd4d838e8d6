import { runCompiled } from './compiled.js';
import type { Db } from './connect.js';
import type { EventRow } from './schema.js';

export async function insertEvent(db: Db, row: EventRow): Promise<void> {
  await runCompiled(db, 'ticket_events.insert', [row.id, row.ticket, row.at, row.actor, row.kind, row.data], (slot) =>
    db.insertInto('ticket_events').values({ id: slot(0), ticket: slot(1), at: slot(2), actor: slot(3), kind: slot(4), data: slot(5) }),
  );
}

/** A ticket's audit log, oldest first (ids are time-ordered). */
export async function listEvents(db: Db, ticket: number): Promise<EventRow[]> {
  return db.selectFrom('ticket_events').selectAll().where('ticket', '=', ticket).orderBy('ticket').orderBy('id').execute();
}
