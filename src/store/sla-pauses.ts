import type { Db } from './connect.js';

export interface PauseRow {
  reason: string;
  start: number;
  end?: number;
}

export async function listPauses(db: Db, ticket: number): Promise<PauseRow[]> {
  const rows = await db.selectFrom('sla_pauses').select(['reason', 'start_at', 'end_at']).where('ticket', '=', ticket).orderBy('start_at').execute();
  return rows.map((r) => ({ reason: r.reason, start: Number(r.start_at), ...(r.end_at !== null ? { end: Number(r.end_at) } : {}) }));
}

export async function openPause(db: Db, id: string, ticket: number, reason: string, at: number): Promise<void> {
  await db.insertInto('sla_pauses').values({ id, ticket, reason, start_at: at, end_at: null }).execute();
}

/** End every open pause of `reason` on the ticket. */
export async function closePauses(db: Db, ticket: number, reason: string, at: number): Promise<void> {
  await db
    .updateTable('sla_pauses')
    .set({ end_at: at })
    .where('ticket', '=', ticket)
    .where('reason', '=', reason)
    .where('end_at', 'is', null)
    .execute();
}
