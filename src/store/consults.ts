import type { Db } from './connect.js';
import { nextCounter } from './counters.js';
import type { ConsultsTable } from './schema.js';

/** A consult as the capability sees it. */
export interface Consult {
  id: number;
  ticket: number;
  tier: string;
  question: string;
  askedBy: string;
  askedAt: number;
  answer?: string;
  answeredBy?: string;
  answeredAt?: number;
  closedAt?: number;
  article?: number;
}

function fromRow(r: ConsultsTable): Consult {
  return {
    id: Number(r.id),
    ticket: Number(r.ticket),
    tier: r.tier,
    question: r.question,
    askedBy: r.asked_by,
    askedAt: Number(r.asked_at),
    ...(r.answer !== null ? { answer: r.answer } : {}),
    ...(r.answered_by !== null ? { answeredBy: r.answered_by } : {}),
    ...(r.answered_at !== null ? { answeredAt: Number(r.answered_at) } : {}),
    ...(r.closed_at !== null ? { closedAt: Number(r.closed_at) } : {}),
    ...(r.article !== null ? { article: Number(r.article) } : {}),
  };
}

export async function insertConsult(db: Db, c: Omit<Consult, 'id'>): Promise<Consult> {
  const id = await nextCounter(db, 'consult');
  await db
    .insertInto('consults')
    .values({ id, ticket: c.ticket, tier: c.tier, question: c.question, asked_by: c.askedBy, asked_at: c.askedAt })
    .execute();
  return { ...c, id };
}

export async function findConsult(db: Db, id: number): Promise<Consult | undefined> {
  const row = await db.selectFrom('consults').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Record an answer; the first answer's time stays (later answers add to the conversation). */
export async function saveAnswer(db: Db, id: number, answer: string, by: string, at: number): Promise<void> {
  const c = await findConsult(db, id);
  await db
    .updateTable('consults')
    .set({ answer: c?.answer ? `${c.answer}\n\n${answer}` : answer, answered_by: c?.answeredBy ?? by, answered_at: c?.answeredAt ?? at })
    .where('id', '=', id)
    .execute();
}

export async function closeConsultRow(db: Db, id: number, at: number, article?: number): Promise<void> {
  await db
    .updateTable('consults')
    .set({ closed_at: at, ...(article !== undefined ? { article } : {}) })
    .where('id', '=', id)
    .execute();
}

/** Consults asked in [from, to): by tier asked, how many, how many answered, answer times (ms). */
export async function consultFigures(db: Db, from: number, to: number): Promise<Array<{ tier: string; asked: number; waits: number[] }>> {
  const rows = await db
    .selectFrom('consults')
    .select(['tier', 'asked_at', 'answered_at'])
    .where('asked_at', '>=', from)
    .where('asked_at', '<', to)
    .execute();
  const byTier = new Map<string, { tier: string; asked: number; waits: number[] }>();
  for (const r of rows) {
    const g = byTier.get(r.tier) ?? { tier: r.tier, asked: 0, waits: [] };
    g.asked++;
    if (r.answered_at !== null) g.waits.push(Number(r.answered_at) - Number(r.asked_at));
    byTier.set(r.tier, g);
  }
  return [...byTier.values()].sort((a, b) => a.tier.localeCompare(b.tier));
}
