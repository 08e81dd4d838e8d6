/**
 * On-call calendar feeds (RFC 5545) that calendar apps subscribe to without signing in:
 * `/oncall/<schedule>.ics` and `/oncall/people/<person>.ics`, each with `?token=<person>.<mac>` in the
 * URL. The token is derived, not stored: HMAC-SHA256 of the person and their feed generation under
 * the dashboard's signing secret, so it needs no table, and making a new address (the /tokens page)
 * bumps the generation and revokes the old one. ical-generator writes the text: CRLF, 75-octet
 * folding, escaping, UTC instants.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import ical from 'ical-generator';
import { currentSchedules } from '../../src/capabilities/oncall/schedules.js';
import type { Core } from '../../src/core/work.js';
import { shifts, type Schedule, type Shift } from '../../src/domain/oncall-schedule.js';
import { feedGeneration, renewFeedGeneration } from '../../src/store/web-feeds.js';

const DAY = 86_400_000;
/** The feed shows shifts from a day ago to four weeks ahead. */
export const FEED_DAYS = 28;
/**
 * Shifts are listed from this far back and then filtered, so a shift under way keeps its real start
 * (and with it its UID and DTSTART) instead of being clipped to the window's edge.
 */
const LOOKBACK_DAYS = 90;

/** The shifts a feed shows at `now`. */
function feedShifts(schedule: Schedule, now: number): Shift[] {
  return shifts(schedule, now - LOOKBACK_DAYS * DAY, now + FEED_DAYS * DAY).filter((s) => s.to > now - DAY);
}

function mac(secret: string, person: string, generation: string): string {
  return createHmac('sha256', secret).update(`ical:${person}:${generation}`).digest('base64url');
}

/** The person's current feed token. */
export async function feedToken(core: Core, secret: string, person: string): Promise<string> {
  return `${encodeURIComponent(person)}.${mac(secret, person, await feedGeneration(core.db, person))}`;
}

/** Revoke the person's feed addresses; returns the new token. */
export async function renewFeedToken(core: Core, secret: string, person: string): Promise<string> {
  await renewFeedGeneration(core.db, person, randomBytes(9).toString('base64url'));
  return feedToken(core, secret, person);
}

/** The configured person a token names, or undefined when it is forged, revoked or theirs no longer. */
export async function feedOwner(core: Core, secret: string, token: string): Promise<string | undefined> {
  const dot = token.lastIndexOf('.');
  if (dot <= 0 || token.length > 300) return undefined;
  let person: string;
  try {
    person = decodeURIComponent(token.slice(0, dot));
  } catch {
    return undefined;
  }
  if (!core.directory.person(person)) return undefined;
  const want = Buffer.from(mac(secret, person, await feedGeneration(core.db, person)));
  const given = Buffer.from(token.slice(dot + 1));
  return want.length === given.length && timingSafeEqual(want, given) ? person : undefined;
}

export type FeedAnswer = { status: 200; ics: string } | { status: 401 | 403 | 404; text: string };

/** The feed at `path` (`/oncall/NAME.ics` or `/oncall/people/PERSON.ics`) for the token's person. */
export async function feedAt(core: Core, secret: string, path: string, token: string | null): Promise<FeedAnswer> {
  const person = token ? await feedOwner(core, secret, token) : undefined;
  if (!person) return { status: 401, text: 'This calendar address is not valid any more: copy the new one from /tokens on the dashboard.' };
  const personal = /^\/oncall\/people\/([^/]+)\.ics$/.exec(path);
  const named = /^\/oncall\/([^/]+)\.ics$/.exec(path);
  const now = core.clock.now();
  const schedules = await currentSchedules(core, core.db);
  const cal = ical({ name: '', prodId: { company: 'tierdesk', product: 'on-call', language: 'EN' } });
  const add = (schedule: string, s: { from: number; to: number; users: readonly string[] }, uid: string, summary: string) =>
    cal.createEvent({ id: uid, start: new Date(s.from), end: new Date(s.to), stamp: new Date(now), summary, description: `On call in ${schedule}` });
  if (personal) {
    const who = safeDecode(personal[1]!);
    if (who !== person) return { status: 403, text: 'A personal calendar is only its own person’s.' };
    cal.name(`On call: ${core.directory.nameOf(person)}`);
    for (const [name, schedule] of schedules)
      for (const s of feedShifts(schedule, now))
        if (s.users.includes(person)) add(name, s, `${name}.${s.from}.${person}@tierdesk`, `On call (${name})`);
    return { status: 200, ics: cal.toString() };
  }
  const name = named ? safeDecode(named[1]!) : '';
  const schedule = schedules.get(name);
  if (!schedule) return { status: 404, text: `There is no schedule "${name.slice(0, 60)}".` };
  cal.name(`On call: ${name}`);
  for (const s of feedShifts(schedule, now)) {
    const names = s.users.map((u) => core.directory.nameOf(u)).join(', ') || 'nobody';
    add(name, s, `${name}.${s.from}@tierdesk`, `${names} on call (${name})`);
  }
  return { status: 200, ics: cal.toString() };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
