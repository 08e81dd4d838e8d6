import type { Calendar } from '../domain/calendar.js';
import { parseDuration } from '../domain/duration.js';
import type { Platform } from '../ports.js';
import { isRecord, optionalString, type Bad } from './fields.js';

/** Peer support: where questions are asked, how helpers are rewarded, when silence becomes a ticket. */
export interface PeerConfig {
  /** Peer channels by platform: a Slack channel (top-level message = question), a Discord forum, a console channel. */
  channels: Partial<Record<Platform, string[]>>;
  /** People ids who may mark solutions on any question (agents always may). */
  moderators: string[];
  /** The helper group per platform (a Slack user group id, a Discord role id): pinged for unanswered questions, granted at the threshold. */
  helperGroup: Partial<Record<'slack' | 'discord', string>>;
  points: { solution: number; thanks: number; perThread: number; perDay: number };
  /** Points (all time) at which the helper group is granted; none: never granted automatically. */
  helperThreshold?: number;
  unanswered: {
    /** Ping the helpers after this much time (counted on `calendar`) without an answer. */
    pingAfterMs?: number;
    /** Turn the question into a ticket after this much time without an answer. */
    ticketAfterMs?: number;
    calendar?: Calendar;
    calendarName?: string;
    /** The tier the ticket enters. */
    tier: string;
  };
  stale: {
    /** Ask "still need help?" after this much quiet on an open question. */
    askAfterMs?: number;
    /** Close after this much more quiet (and a solved question after ask + close). */
    closeAfterMs?: number;
  };
  /** Discord forum tag names tierdesk manages. */
  tags: { open: string; solved: string };
}

export interface KbConfig {
  /** Tiers whose agents may add, edit, publish and save articles (default: every tier but the first). */
  authors: string[];
  /** Offer matching articles and solved questions before a ticket is opened. */
  deflection: boolean;
}

function duration(v: unknown, path: string, bad: Bad): number | undefined {
  if (v === undefined || v === null) return undefined;
  const ms = parseDuration(v);
  if (ms === undefined || ms <= 0) return (bad(path, `must be a duration like 30m, 4h or 2d, not ${JSON.stringify(v)}`), undefined);
  return ms;
}

function count(v: unknown, path: string, fallback: number, bad: Bad): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1_000_000)
    return (bad(path, `must be a whole number from 0 to 1000000, not ${JSON.stringify(v)}`), fallback);
  return v;
}

type PeerContext = { people: Set<string>; tiers: string[]; calendars: Map<string, Calendar> };

export function readPeer(raw: unknown, ctx: PeerContext, bad: Bad): PeerConfig {
  const peer: PeerConfig = {
    channels: {},
    moderators: [],
    helperGroup: {},
    points: { solution: 10, thanks: 2, perThread: 15, perDay: 50 },
    unanswered: { tier: ctx.tiers[0] ?? 'L1' },
    stale: {},
    tags: { open: 'Open', solved: 'Solved' },
  };
  if (raw === undefined || raw === null) return peer;
  if (!isRecord(raw)) return (bad('peer', 'must be a mapping (channels, moderators, helper_group, points, unanswered, stale)'), peer);
  if (raw.channels !== undefined) readChannels(raw.channels, peer, bad);
  if (raw.moderators !== undefined && !Array.isArray(raw.moderators)) bad('peer.moderators', 'must be a list of people ids');
  (Array.isArray(raw.moderators) ? raw.moderators : []).forEach((m, i) => {
    if (typeof m !== 'string' || !ctx.people.has(m)) bad(`peer.moderators[${i}]`, `${JSON.stringify(m)} is not a person under people`);
    else peer.moderators.push(m);
  });
  if (raw.helper_group !== undefined) readHelperGroup(raw.helper_group, peer, bad);
  if (raw.points !== undefined) {
    if (!isRecord(raw.points)) bad('peer.points', 'must be a mapping like { solution: 10, thanks: 2, per_thread: 15, per_day: 50 }');
    else {
      peer.points = {
        solution: count(raw.points.solution, 'peer.points.solution', peer.points.solution, bad),
        thanks: count(raw.points.thanks, 'peer.points.thanks', peer.points.thanks, bad),
        perThread: count(raw.points.per_thread, 'peer.points.per_thread', peer.points.perThread, bad),
        perDay: count(raw.points.per_day, 'peer.points.per_day', peer.points.perDay, bad),
      };
    }
  }
  if (raw.helper_threshold !== undefined && raw.helper_threshold !== null) {
    const t = count(raw.helper_threshold, 'peer.helper_threshold', 0, bad);
    if (t <= 0) bad('peer.helper_threshold', 'must be at least 1 point');
    else peer.helperThreshold = t;
  }
  if (raw.unanswered !== undefined) readUnanswered(raw.unanswered, peer, ctx, bad);
  if (raw.stale !== undefined) readStale(raw.stale, peer, bad);
  if (raw.tags !== undefined) readTags(raw.tags, peer, bad);
  return peer;
}

/** `peer.channels`: platform → list of channels (a Discord forum by its snowflake). */
function readChannels(raw: unknown, peer: PeerConfig, bad: Bad): void {
  if (!isRecord(raw)) {
    bad('peer.channels', 'must be a mapping of platform → list of channels, like { console: [peer], slack: [C0PEER], discord: ["123…"] }');
    return;
  }
  for (const [platform, list] of Object.entries(raw)) {
    const path = `peer.channels.${platform}`;
    if (!['console', 'slack', 'discord'].includes(platform)) continue; // unknown: reported by the schema
    const items = Array.isArray(list) ? list : [list];
    const ids: string[] = [];
    items.forEach((c, i) => {
      const id = optionalString(c, `${path}[${i}]`, bad);
      if (id === undefined) return;
      if (platform === 'discord' && !/^\d{15,21}$/.test(id)) bad(`${path}[${i}]`, 'a Discord forum channel id is a snowflake of 15 to 21 digits');
      ids.push(id);
    });
    peer.channels[platform as Platform] = ids;
  }
}

/** `peer.helper_group`: a Slack user group id, a Discord role id. */
function readHelperGroup(raw: unknown, peer: PeerConfig, bad: Bad): void {
  if (!isRecord(raw)) {
    bad('peer.helper_group', 'must be a mapping like { slack: S0HELPERS, discord: "1234…" }');
    return;
  }
  const slack = optionalString(raw.slack, 'peer.helper_group.slack', bad);
  if (slack !== undefined) {
    if (!/^S[A-Z0-9]{2,}$/.test(slack)) bad('peer.helper_group.slack', 'a Slack user group id looks like S0123ABCD');
    peer.helperGroup.slack = slack;
  }
  const discord = optionalString(raw.discord, 'peer.helper_group.discord', bad);
  if (discord !== undefined) {
    if (!/^\d{15,21}$/.test(discord)) bad('peer.helper_group.discord', 'a Discord role id is a snowflake of 15 to 21 digits');
    peer.helperGroup.discord = discord;
  }
}

/** `peer.unanswered`: when the helpers are pinged and a ticket is made, on which calendar, into which tier. */
function readUnanswered(raw: unknown, peer: PeerConfig, ctx: PeerContext, bad: Bad): void {
  if (!isRecord(raw)) {
    bad('peer.unanswered', 'must be a mapping like { ping_after: 30m, ticket_after: 4h, calendar: office, tier: L1 }');
    return;
  }
  const ping = duration(raw.ping_after, 'peer.unanswered.ping_after', bad);
  const ticket = duration(raw.ticket_after, 'peer.unanswered.ticket_after', bad);
  if (ping !== undefined) peer.unanswered.pingAfterMs = ping;
  if (ticket !== undefined) peer.unanswered.ticketAfterMs = ticket;
  if (ping !== undefined && ticket !== undefined && ticket <= ping)
    bad('peer.unanswered.ticket_after', 'must be longer than ping_after: the helpers are asked first');
  const cal = optionalString(raw.calendar, 'peer.unanswered.calendar', bad);
  if (cal !== undefined) {
    const c = ctx.calendars.get(cal);
    if (!c) bad('peer.unanswered.calendar', `"${cal}" is not a calendar under calendars (known: ${[...ctx.calendars.keys()].join(', ') || 'none'})`);
    else {
      peer.unanswered.calendar = c;
      peer.unanswered.calendarName = cal;
    }
  }
  const tier = optionalString(raw.tier, 'peer.unanswered.tier', bad);
  if (tier !== undefined) {
    const known = ctx.tiers.find((t) => t.toUpperCase() === tier.toUpperCase());
    if (!known) bad('peer.unanswered.tier', `"${tier}" is not a tier (known: ${ctx.tiers.join(', ')})`);
    else peer.unanswered.tier = known;
  }
}

/** `peer.stale`: both clocks or neither. */
function readStale(raw: unknown, peer: PeerConfig, bad: Bad): void {
  if (!isRecord(raw)) {
    bad('peer.stale', 'must be a mapping like { ask_after: 3d, close_after: 2d }');
    return;
  }
  const ask = duration(raw.ask_after, 'peer.stale.ask_after', bad);
  const close = duration(raw.close_after, 'peer.stale.close_after', bad);
  if (ask !== undefined) peer.stale.askAfterMs = ask;
  if (close !== undefined) peer.stale.closeAfterMs = close;
  if ((ask === undefined) !== (close === undefined) && !(raw.ask_after === undefined && raw.close_after === undefined)) {
    bad('peer.stale', 'needs both ask_after and close_after');
  }
}

/** `peer.tags`: the Discord forum tag names tierdesk manages. */
function readTags(raw: unknown, peer: PeerConfig, bad: Bad): void {
  if (!isRecord(raw)) {
    bad('peer.tags', 'must be a mapping like { open: Open, solved: Solved }');
    return;
  }
  for (const k of ['open', 'solved'] as const) {
    const t = optionalString(raw[k], `peer.tags.${k}`, bad);
    if (t === undefined) continue;
    if (t.length > 20) bad(`peer.tags.${k}`, 'a Discord forum tag name is at most 20 characters');
    peer.tags[k] = t;
  }
}

export function readKb(raw: unknown, tiers: string[], bad: Bad): KbConfig {
  const kb: KbConfig = { authors: tiers.length > 1 ? tiers.slice(1) : [...tiers], deflection: true };
  if (raw === undefined || raw === null) return kb;
  if (!isRecord(raw)) return (bad('kb', 'must be a mapping like { authors: [L2, L3], deflection: true }'), kb);
  if (raw.authors !== undefined) {
    if (!Array.isArray(raw.authors)) bad('kb.authors', 'must be a list of tier ids');
    else {
      kb.authors = [];
      raw.authors.forEach((a, i) => {
        const known = typeof a === 'string' ? tiers.find((t) => t.toUpperCase() === a.toUpperCase()) : undefined;
        if (!known) bad(`kb.authors[${i}]`, `${JSON.stringify(a)} is not a tier (known: ${tiers.join(', ')})`);
        else kb.authors.push(known);
      });
    }
  }
  if (raw.deflection !== undefined) {
    if (typeof raw.deflection !== 'boolean') bad('kb.deflection', 'must be true or false');
    else kb.deflection = raw.deflection;
  }
  return kb;
}
