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

/** The pauses of many tickets, by ticket, each list in order (read in chunks the databases accept). */
export async function listPausesOf(db: Db, tickets: readonly number[]): Promise<Map<number, PauseRow[]>> {
  const out = new Map<number, PauseRow[]>();
  for (let i = 0; i < tickets.length; i += 500) {
    const rows = await db
      .selectFrom('sla_pauses')
      .selectAll()
      .where('ticket', 'in', tickets.slice(i, i + 500))
      .orderBy('start_at')
      .execute();
    for (const r of rows) {
      const list = out.get(Number(r.ticket)) ?? [];
      list.push({ reason: r.reason, start: Number(r.start_at), ...(r.end_at !== null ? { end: Number(r.end_at) } : {}) });
      out.set(Number(r.ticket), list);
    }
  }
  return out;
}
