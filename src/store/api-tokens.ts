/** Personal API tokens: rows keyed by the token's public id, holding the SHA-256 of the whole token. */
import type { Db } from './connect.js';
import type { ApiTokensTable } from './schema-web.js';

export type ApiTokenRow = ApiTokensTable;

export async function insertApiToken(db: Db, row: ApiTokenRow): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

/** The token with this id, unless it was revoked. */
export async function findLiveApiToken(db: Db, id: string): Promise<ApiTokenRow | undefined> {
  const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return row ? { ...row, created_at: Number(row.created_at), last_used_at: row.last_used_at === null ? null : Number(row.last_used_at) } : undefined;
}

/** Remember when a token was last used (at most once a minute, so reads stay reads). */
export async function touchApiToken(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - 60_000)]))
    .execute();
}

/** Tokens not revoked, of one person or everyone's, newest first. */
export async function listApiTokens(db: Db, person?: string): Promise<ApiTokenRow[]> {
  let q = db.selectFrom('api_tokens').selectAll().where('revoked_at', 'is', null);
  if (person !== undefined) q = q.where('person', '=', person);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map((r) => ({ ...r, created_at: Number(r.created_at), last_used_at: r.last_used_at === null ? null : Number(r.last_used_at) }));
}

/** Revoke a token (only `person`'s when given); true when one was live. */
export async function revokeApiToken(db: Db, id: string, now: number, person?: string): Promise<boolean> {
  let q = db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null);
  if (person !== undefined) q = q.where('person', '=', person);
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
}
