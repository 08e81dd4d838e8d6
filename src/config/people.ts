import { DateTime } from 'luxon';
import type { Platform } from '../ports.js';
import { isRecord, optionalString, type Bad } from './fields.js';
import type { PersonConfig, TierConfig } from './types.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** `people`: everyone tierdesk knows, by id, with their id on each platform. */
export function readPeople(raw: unknown, bad: Bad): PersonConfig[] {
  if (raw === undefined) return [];
  if (!isRecord(raw)) return (bad('people', 'must be a mapping of person id → { name, slack, discord }'), []);
  const people: PersonConfig[] = [];
  for (const [id, value] of Object.entries(raw)) {
    const path = `people.${id}`;
    if (!ID.test(id)) bad(path, 'a person id is letters, digits, ".", "_" or "-" (at most 64)');
    const v = isRecord(value) ? value : value === null ? {} : (bad(path, 'must be a mapping like { name: Ada Lovelace, slack: U123 }'), {});
    const name = optionalString(v.name, `${path}.name`, bad) ?? id;
    const person: PersonConfig = { id, name, console: optionalString(v.console, `${path}.console`, bad) ?? id };
    const slack = optionalString(v.slack, `${path}.slack`, bad);
    const discord = optionalString(v.discord, `${path}.discord`, bad);
    if (slack !== undefined) person.slack = slack;
    const zone = optionalString(v.zone, `${path}.zone`, bad);
    if (zone !== undefined && !DateTime.local().setZone(zone).isValid)
      bad(`${path}.zone`, `${zone} is not an IANA time zone (such as Europe/Berlin)`);
    else if (zone !== undefined) person.zone = zone;
    if (discord !== undefined) {
      if (!/^\d{15,21}$/.test(discord)) bad(`${path}.discord`, 'a Discord user id is a snowflake of 15 to 21 digits');
      person.discord = discord;
    }
    people.push(person);
  }
  for (const platform of ['slack', 'discord', 'console'] as const) {
    const seen = new Map<string, string>();
    for (const p of people) {
      const pid = p[platform];
      if (pid === undefined) continue;
      const other = seen.get(pid);
      if (other !== undefined) bad(`people.${p.id}.${platform}`, `${pid} is already used by people.${other}`);
      seen.set(pid, p.id);
    }
  }
  return people;
}

/** `tiers`: the ladder, in order, with their agents (known people), channels, hours and policies. */
export function readTiers(raw: unknown, personIds: Set<string>, bad: Bad): TierConfig[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    bad('tiers', 'must list at least one tier, first rung first (e.g. - { id: L1, name: Help desk, agents: [agent1] })');
    return [];
  }
  const tiers: TierConfig[] = [];
  const ids = new Set<string>();
  raw.forEach((value, i) => {
    const path = `tiers[${i}]`;
    if (!isRecord(value)) return bad(path, 'must be a mapping with id, name, agents, channels');
    const id = optionalString(value.id, `${path}.id`, bad);
    if (id === undefined) return bad(`${path}.id`, 'is required (e.g. L1)');
    if (!ID.test(id)) bad(`${path}.id`, 'a tier id is letters, digits, ".", "_" or "-"');
    if (ids.has(id.toUpperCase())) bad(`${path}.id`, `${id} is used by another tier`);
    ids.add(id.toUpperCase());
    const name = optionalString(value.name, `${path}.name`, bad) ?? id;
    const agents: string[] = [];
    if (value.agents !== undefined && !Array.isArray(value.agents)) bad(`${path}.agents`, 'must be a list of people ids');
    (Array.isArray(value.agents) ? value.agents : []).forEach((a, j) => {
      if (typeof a !== 'string' || !personIds.has(a)) bad(`${path}.agents[${j}]`, `${JSON.stringify(a)} is not a person under people`);
      else agents.push(a);
    });
    const channels: Partial<Record<Platform, string>> = {};
    if (value.channels !== undefined && !isRecord(value.channels))
      bad(`${path}.channels`, 'must be a mapping like { console: l1-desk, slack: C0123 }');
    const rawChannels = isRecord(value.channels) ? value.channels : {};
    for (const [platform, channel] of Object.entries(rawChannels)) {
      if (!['console', 'slack', 'discord'].includes(platform)) continue; // unknown: reported by the schema
      const c = optionalString(channel, `${path}.channels.${platform}`, bad);
      if (c !== undefined) channels[platform as Platform] = c;
    }
    channels.console ??= `${id.toLowerCase()}-desk`;
    const tier: TierConfig = { id, name, agents, channels, leads: [] };
    for (const [key, field] of [
      ['escalation_policy', 'escalationPolicy'],
      ['oncall_schedule', 'oncallSchedule'],
      ['hours', 'hours'],
    ] as const) {
      const v = optionalString(value[key], `${path}.${key}`, bad);
      if (v !== undefined) tier[field] = v; // checked against their sections by readOncall
    }
    if (value.leads !== undefined && !Array.isArray(value.leads)) bad(`${path}.leads`, 'must be a list of people ids');
    (Array.isArray(value.leads) ? value.leads : []).forEach((a, j) => {
      if (typeof a !== 'string' || !personIds.has(a)) bad(`${path}.leads[${j}]`, `${JSON.stringify(a)} is not a person under people`);
      else tier.leads.push(a);
    });
    const usergroup = optionalString(value.slack_usergroup, `${path}.slack_usergroup`, bad);
    if (usergroup !== undefined) {
      if (!/^S[A-Z0-9]{2,}$/.test(usergroup)) bad(`${path}.slack_usergroup`, 'a Slack user group id looks like S0123ABCD');
      tier.slackUsergroup = usergroup;
    }
    const role = optionalString(value.discord_role, `${path}.discord_role`, bad);
    if (role !== undefined) {
      if (!/^\d{15,21}$/.test(role)) bad(`${path}.discord_role`, 'a Discord role id is a snowflake of 15 to 21 digits');
      tier.discordRole = role;
    }
    const handle = readOncallHandle(value.oncall_handle, `${path}.oncall_handle`, bad);
    if (handle) tier.oncallHandle = handle;
    tiers.push(tier);
  });
  return tiers;
}

/** `tiers[].oncall_handle`: `{ slack: S0123ABCD, discord: "<role id>" }`, either or both. */
function readOncallHandle(raw: unknown, path: string, bad: Bad): TierConfig['oncallHandle'] {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) {
    bad(path, 'must be a mapping like { slack: S0123ABCD, discord: "300000000000000001" }');
    return undefined;
  }
  const handle: NonNullable<TierConfig['oncallHandle']> = {};
  const slack = optionalString(raw.slack, `${path}.slack`, bad);
  if (slack !== undefined) {
    if (/^S[A-Z0-9]{2,}$/.test(slack)) handle.slack = slack;
    else bad(`${path}.slack`, 'a Slack user group id looks like S0123ABCD');
  }
  const discord = optionalString(raw.discord, `${path}.discord`, bad);
  if (discord !== undefined) {
    if (/^\d{15,21}$/.test(discord)) handle.discord = discord;
    else bad(`${path}.discord`, 'a Discord role id is a snowflake of 15 to 21 digits (quote it)');
  }
  return handle.slack !== undefined || handle.discord !== undefined ? handle : undefined;
}
