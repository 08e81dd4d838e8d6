import type { Person, Place } from '../ports.js';
import type { Db } from './connect.js';
import type { DeflectionRow, DeflectionsTable } from './schema.js';

/** The words of a ticket request as typed (every field untrusted text), kept while the requester reads the offer. */
export type DeflectedRequest = Partial<Record<'title' | 'description' | 'urgency' | 'impact' | 'category' | 'product' | 'version', string>>;

/** A deflection offer's row with its JSON columns decoded: who asked, what they asked, and where. */
export type Deflection = Omit<DeflectionsTable, 'requester' | 'input' | 'place'> & {
  requester: Person;
  input: DeflectedRequest;
  place: Place;
};

function deflectionFromRow(row: DeflectionRow): Deflection {
  return {
    ...row,
    requester: JSON.parse(row.requester) as Person,
    input: JSON.parse(row.input) as DeflectedRequest,
    place: JSON.parse(row.place) as Place,
  };
}

/** Deflection offers (knowledge shown before a ticket is opened), the documents each showed, and their outcomes. */

export async function insertDeflection(db: Db, offer: Deflection, docs: string[]): Promise<void> {
  const { requester, input, place, ...rest } = offer;
  const row: DeflectionsTable = { ...rest, requester: JSON.stringify(requester), input: JSON.stringify(input), place: JSON.stringify(place) };
  await db.insertInto('deflections').values(row).execute();
  if (docs.length > 0)
    await db
      .insertInto('deflection_docs')
      .values(docs.map((doc, position) => ({ deflection: row.id, doc, position })))
      .execute();
}

export async function findDeflection(db: Db, id: string): Promise<Deflection | undefined> {
  const row = await db.selectFrom('deflections').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? deflectionFromRow(row) : undefined;
}

export async function deflectionDocs(db: Db, id: string): Promise<string[]> {
  const rows = await db.selectFrom('deflection_docs').select('doc').where('deflection', '=', id).orderBy('position').execute();
  return rows.map((r) => r.doc);
}

/**
 * Claim the offer for opening a ticket: only one writer wins (the update is conditional on the
 * outcome), so two clicks can never open two tickets. False when it was already opened.
 */
export async function claimForOpening(db: Db, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('deflections')
    .set({ outcome: 'opened', helped_by: null, decided_at: at })
    .where('id', '=', id)
    .where('outcome', '<>', 'opened')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setDeflectionTicket(db: Db, id: string, ticket: number): Promise<void> {
  await db.updateTable('deflections').set({ ticket }).where('id', '=', id).execute();
}

/** Record that a document answered the request; only from `offered`. False when already decided. */
export async function markHelped(db: Db, id: string, doc: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('deflections')
    .set({ outcome: 'helped', helped_by: doc, decided_at: at })
    .where('id', '=', id)
    .where('outcome', '=', 'offered')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Offers made in [from, to), by outcome. */
export async function deflectionOutcomes(db: Db, from: number, to: number): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('deflections')
    .select(['outcome', (eb) => eb.fn.countAll<number>().as('n')])
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .groupBy('outcome')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.outcome, Number(r.n)]));
}

/** Per document shown in offers made in [from, to): how often it was offered, helped, and was passed over for a ticket. */
export async function deflectionsByDoc(
  db: Db,
  from: number,
  to: number,
): Promise<Array<{ doc: string; offers: number; helped: number; opened: number; waiting: number }>> {
  const rows = await db
    .selectFrom('deflection_docs as d')
    .innerJoin('deflections as o', 'o.id', 'd.deflection')
    .select(['d.doc', 'o.outcome', 'o.helped_by', (eb) => eb.fn.countAll<number>().as('n')])
    .where('o.created_at', '>=', from)
    .where('o.created_at', '<', to)
    .groupBy(['d.doc', 'o.outcome', 'o.helped_by'])
    .execute();
  const byDoc = new Map<string, { doc: string; offers: number; helped: number; opened: number; waiting: number }>();
  for (const r of rows) {
    const entry = byDoc.get(r.doc) ?? { doc: r.doc, offers: 0, helped: 0, opened: 0, waiting: 0 };
    const n = Number(r.n);
    entry.offers += n;
    if (r.outcome === 'helped' && r.helped_by === r.doc) entry.helped += n;
    if (r.outcome === 'opened') entry.opened += n;
    if (r.outcome === 'offered') entry.waiting += n;
    byDoc.set(r.doc, entry);
  }
  return [...byDoc.values()].sort((a, b) => b.offers - a.offers || b.helped - a.helped || a.doc.localeCompare(b.doc));
}

/** How many requests this document answered (all time): the "this solved it" signal. */
export async function helpedCount(db: Db, doc: string): Promise<number> {
  // Through deflection_docs (indexed by doc): a document that helped was one of the offer's documents.
  const row = await db
    .selectFrom('deflection_docs as d')
    .innerJoin('deflections as o', 'o.id', 'd.deflection')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('d.doc', '=', doc)
    .where('o.outcome', '=', 'helped')
    .where('o.helped_by', '=', doc)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
