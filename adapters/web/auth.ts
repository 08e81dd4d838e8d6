/**
 * Signing in to the dashboard: one-time links (HMAC-signed, single use, 15 minutes), sessions kept
 * in the database (the cookie holds a random token; the database its SHA-256), a CSRF token per
 * session, and a limit on sign-in attempts per client address.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../src/store/connect.js';
import { deleteSession, findSession, saveLoginLink, saveSession, settingOrCreate, useLoginLink } from '../../src/store/web.js';

export const LINK_TTL_MS = 15 * 60_000;
export const SESSION_TTL_MS = 12 * 3_600_000;
export const SESSION_COOKIE = 'tierdesk_session';

const b64url = (b: Buffer) => b.toString('base64url');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The signing secret: TIERDESK_WEB_SECRET when set (at least 32 characters), else one generated and kept in the database. */
export async function signingSecret(db: Db, env: NodeJS.ProcessEnv): Promise<string> {
  const fromEnv = env.TIERDESK_WEB_SECRET?.trim();
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('TIERDESK_WEB_SECRET must be at least 32 characters (e.g. openssl rand -hex 32)');
    return fromEnv;
  }
  return settingOrCreate(db, 'signing_secret', () => b64url(randomBytes(32)));
}

function sign(secret: string, payload: string): string {
  return b64url(createHmac('sha256', secret).update(payload).digest());
}

function equalText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A one-time sign-in token for `person` (a configured people id): `person.expires.nonce.signature`. */
export async function createLoginToken(db: Db, secret: string, person: string, now: number): Promise<string> {
  const nonce = b64url(randomBytes(18));
  const expiresAt = now + LINK_TTL_MS;
  await saveLoginLink(db, { nonce, person, expiresAt });
  const payload = `${encodeURIComponent(person)}.${expiresAt}.${nonce}`;
  return `${payload}.${sign(secret, payload)}`;
}

/** The person a token signs in, using it up; undefined when it is forged, expired or used. */
export async function redeemLoginToken(db: Db, secret: string, token: string, now: number): Promise<string | undefined> {
  const parts = token.split('.');
  if (parts.length !== 4) return undefined;
  const [person, expires, nonce, signature] = parts as [string, string, string, string];
  if (!equalText(sign(secret, `${person}.${expires}.${nonce}`), signature)) return undefined;
  if (!/^\d+$/.test(expires) || Number(expires) <= now) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(person);
  } catch {
    return undefined;
  }
  return (await useLoginLink(db, nonce, id, now)) ? id : undefined;
}

/** The cookie binding a platform sign-in to the browser that started it. */
export const STATE_COOKIE = 'tierdesk_signin';
/** A platform sign-in must come back within 10 minutes of starting. */
export const STATE_TTL_MS = 10 * 60_000;

/**
 * The `state` of a platform sign-in: `platform.expires.nonce.signature`, sent to the platform and set
 * as a cookie in this browser; the callback must bring back the same value this browser holds.
 */
export function createSignInState(secret: string, platform: string, now: number): string {
  const payload = `${platform}.${now + STATE_TTL_MS}.${b64url(randomBytes(18))}`;
  return `${payload}.${sign(secret, payload)}`;
}

/** Whether the `state` a platform sent back is the one this browser started, unexpired and for this platform. */
export function signInStateMatches(secret: string, platform: string, state: string | undefined, cookie: string | undefined, now: number): boolean {
  if (!state || !cookie || state.length > 200 || !equalText(state, cookie)) return false;
  const parts = state.split('.');
  if (parts.length !== 4 || parts[0] !== platform) return false;
  const [, expires, , signature] = parts as [string, string, string, string];
  if (!equalText(sign(secret, parts.slice(0, 3).join('.')), signature)) return false;
  return /^\d+$/.test(expires) && Number(expires) > now;
}

/** The sign-in state cookie: HttpOnly, SameSite=Lax (sent on the platform's redirect back, a top-level GET), only to /login. */
export function signInStateCookie(state: string, secure: boolean, maxAgeMs = STATE_TTL_MS): string {
  return `${STATE_COOKIE}=${state}; Path=/login; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(maxAgeMs / 1000)}${secure ? '; Secure' : ''}`;
}

export interface Session {
  person: string;
  csrf: string;
  tokenHash: string;
}

/** Start a session (a fresh token: the one presented before signing in, if any, is dropped by the caller). */
export async function startSession(db: Db, person: string, now: number): Promise<{ token: string; session: Session }> {
  const token = b64url(randomBytes(32));
  const session = { person, csrf: b64url(randomBytes(24)), tokenHash: sha256(token) };
  await saveSession(db, { ...session, createdAt: now, expiresAt: now + SESSION_TTL_MS });
  return { token, session };
}

export async function sessionOf(db: Db, token: string | undefined, now: number): Promise<Session | undefined> {
  if (!token || token.length > 200) return undefined;
  const tokenHash = sha256(token);
  const row = await findSession(db, tokenHash, now);
  return row ? { person: row.person, csrf: row.csrf, tokenHash } : undefined;
}

export async function endSession(db: Db, token: string | undefined): Promise<void> {
  if (token) await deleteSession(db, sha256(token));
}

export function csrfMatches(session: Session, given: string | undefined): boolean {
  return given !== undefined && equalText(session.csrf, given);
}

/** The session cookie: HttpOnly, SameSite=Lax, Secure behind https. */
export function sessionCookie(token: string, secure: boolean, maxAgeMs = SESSION_TTL_MS): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(maxAgeMs / 1000)}${secure ? '; Secure' : ''}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * Failed sign-in attempts per client address: at most `max` in a sliding `windowMs`; then refused
 * until the oldest one ages out. In memory: a restart forgets, which only helps a legitimate user.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly max = 10,
    private readonly windowMs = 15 * 60_000,
  ) {}

  /** Milliseconds until `client` may try again (0: now). */
  blockedFor(client: string, now: number): number {
    const recent = (this.failures.get(client) ?? []).filter((t) => t > now - this.windowMs);
    this.failures.set(client, recent);
    return recent.length >= this.max ? recent[0]! + this.windowMs - now : 0;
  }

  failed(client: string, now: number): void {
    const list = this.failures.get(client) ?? [];
    list.push(now);
    this.failures.set(client, list);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }
}
