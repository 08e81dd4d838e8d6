import type { Db } from './connect.js';

export interface DirectDraft {
  id: string;
  personKey: string;
  text: string;
  createdAt: number;
}

/** Keep a DM while its writer chooses which ticket it is for. */
export async function saveDirectDraft(db: Db, draft: DirectDraft): Promise<void> {
  await db.insertInto('direct_drafts').values({ id: draft.id, person_key: draft.personKey, text: draft.text, created_at: draft.createdAt }).execute();
}

/** A kept DM of this person's, read without taking it; undefined when gone or someone else's. */
export async function findDirectDraft(db: Db, id: string, personKey: string): Promise<DirectDraft | undefined> {
  const row = await db.selectFrom('direct_drafts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.person_key !== personKey) return undefined;
  return { id: row.id, personKey: row.person_key, text: row.text, createdAt: Number(row.created_at) };
}

/**
 * Take a kept DM for use: deleted and returned in one step, so of two clicks exactly one uses it.
 * Undefined when it is gone (used already) or belongs to someone else.
 */
export async function takeDirectDraft(db: Db, id: string, personKey: string): Promise<DirectDraft | undefined> {
  const row = await db.selectFrom('direct_drafts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.person_key !== personKey) return undefined;
  const gone = await db.deleteFrom('direct_drafts').where('id', '=', id).executeTakeFirst();
  if (Number(gone.numDeletedRows) !== 1) return undefined;
  return { id: row.id, personKey: row.person_key, text: row.text, createdAt: Number(row.created_at) };
}

/** Forget kept DMs older than `before` (their writers chose nothing for a week). */
export async function pruneDirectDrafts(db: Db, before: number): Promise<number> {
  const result = await db.deleteFrom('direct_drafts').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
