/**
 * Personal API tokens: `tdk_<id>_<secret>`. The prefix says what it is (secret scanners and people
 * recognise it), the id names it in lists and revocations, and the database keeps only the SHA-256
 * of the whole token: it is shown once, when created.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../src/store/connect.js';
import { findLiveApiToken, insertApiToken, touchApiToken } from '../../src/store/api-tokens.js';

export type TokenScope = 'read' | 'write';
export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'write'];
export const TOKEN_PREFIX = 'tdk_';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const TOKEN_SHAPE = /^tdk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface ApiTokenOwner {
  id: string;
  person: string;
  scope: TokenScope;
}

/** A new token for `person`: returns the whole token (to show once) and its id. */
export async function createApiToken(
  db: Db,
  input: { person: string; scope: TokenScope; label: string },
  now: number,
): Promise<{ id: string; token: string }> {
  const id = Array.from(randomBytes(12), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
  const token = `${TOKEN_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  await insertApiToken(db, {
    id,
    person: input.person,
    scope: input.scope,
    label: input.label.slice(0, 100),
    token_hash: sha256(token),
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  });
  return { id, token };
}

/** Who an `Authorization: Bearer` token belongs to; undefined when it is malformed, unknown or revoked. */
export async function apiTokenOwner(db: Db, token: string, now: number): Promise<ApiTokenOwner | undefined> {
  const shape = TOKEN_SHAPE.exec(token);
  if (!shape) return undefined;
  const row = await findLiveApiToken(db, shape[1]!);
  if (!row) return undefined;
  const given = Buffer.from(sha256(token));
  const kept = Buffer.from(row.token_hash);
  if (given.length !== kept.length || !timingSafeEqual(given, kept)) return undefined;
  await touchApiToken(db, row.id, now);
  return { id: row.id, person: row.person, scope: row.scope === 'write' ? 'write' : 'read' };
}
