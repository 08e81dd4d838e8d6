import type { Db } from './connect.js';
import type { EventRow } from './schema.js';

export async function insertEvent(db: Db, row: EventRow): Promise<void> {
  await db.insertInto('ticket_events').values(row).execute();
}

/** A ticket's audit log, oldest first (ids are time-ordered). */
export async function listEvents(db: Db, ticket: number): Promise<EventRow[]> {
  return db.selectFrom('ticket_events').selectAll().where('ticket', '=', ticket).orderBy('ticket').orderBy('id').execute();
}
