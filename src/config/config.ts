import { readCsat, type CsatConfig } from './csat.js';
import { readProducts } from './products.js';
import { readOutOfHours, type OutOfHoursConfig } from './out-of-hours.js';
import { DateTime } from 'luxon';
import type { Product } from '../domain/support-window.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { BUILT_IN_CALENDARS, parseCalendars, type Calendar } from '../domain/calendar.js';
import { readSla, type SlaConfig } from './sla.js';
import { readOncall, type OncallConfig } from './oncall.js';
import { readDiscord, readSecrets, readSlack } from './platforms.js';
import { readMatrix, readRouting, readTickets } from './tickets.js';
import type { Level, PriorityMatrix } from '../domain/priority.js';
import type { Platform } from '../ports.js';
import { isRecord, optionalString, type Bad } from './fields.js';
import { readKb, readPeer, type KbConfig, type PeerConfig } from './peer.js';
import { mergeProblems, shapeProblems } from './shape.js';
import { platformProblems } from './running-platforms.js';

/** One person known to tierdesk, with their id on each platform. */
export interface PersonConfig {
  id: string;
  name: string;
  slack?: string;
  discord?: string;
  /** The name they type in the console; defaults to the person id. */
  console: string;
  /** Their IANA time zone: times tierdesk tells them are in it. */
  zone?: string;
}

/** A rung of the support ladder. */
export interface TierConfig {
  id: string;
  name: string;
  /** People ids. */
  agents: string[];
  channels: Partial<Record<Platform, string>>;
  /** Members of this Slack user group are agents of the tier too. */
  slackUsergroup?: string;
  /** Members with this Discord role are agents of the tier too. */
  discordRole?: string;
  /** The escalation policy pages for this tier climb. */
  escalationPolicy?: string;
  /** The schedule `/oncall` shows for this tier. */
  oncallSchedule?: string;
  /** The calendar of the tier's staffed hours: a ticket opened outside them may page. */
  hours?: string;
  /** People ids who may override the tier's on-call schedule. */
  leads: string[];
}

/** A routing rule: every condition it names must match (a version range needs a product). */
export interface RoutingRule {
  category?: string;
  product?: string;
  /** The first and last version of the range, in release order (either may be left open). */
  from?: string;
  to?: string;
  tier: string;
}

/** Slack settings that are not secrets (those come from the environment). */
export interface SlackConfig {
  /** Channels where the ticket reaction on a message opens a ticket from it. */
  reactionChannels: string[];
  /** The reaction's emoji name, without colons. */
  reaction: string;
}

export interface Config {
  /** Where the config came from: a path, or `built-in demo`. */
  source: string;
  people: PersonConfig[];
  tiers: TierConfig[];
  tickets: {
    defaultImpact: Level;
    defaultUrgency: Level;
    reopenWindowMs: number;
    /** When set, only these categories are accepted. */
    categories?: string[];
    titleMax: number;
    descriptionMax: number;
    /** Per requester: at most this many tickets not yet resolved (agents are exempt). */
    maxOpenPerRequester?: number;
    /** Per requester: at least this long between two new tickets, in ms (agents are exempt). */
    cooldownMs?: number;
  };
  priority: { matrix: PriorityMatrix };
  /** The first rule whose category (and product, version range) matches picks the entry tier. */
  routing: RoutingRule[];
  /** Products tickets are about, their versions and support windows. */
  products: Product[];
  database: { url: string };
  /** Business-hour calendars by name, the built-in 24x7 and 12x5 included. */
  calendars: Map<string, Calendar>;
  /** SLA policies; without them tickets have no SLA clocks. */
  sla?: SlaConfig;
  slack: SlackConfig;
  discord: DiscordConfig;
  /** Schedules, escalation policies and when to page. */
  oncall: OncallConfig;
  /** Peer-support channels, helper points, unanswered and stale questions. */
  peer: PeerConfig;
  /** Who writes the knowledge base, and whether it is offered before a ticket opens. */
  kb: KbConfig;
  /** Satisfaction surveys after resolution. */
  csat: CsatConfig;
  /** What a requester is told when their ticket arrives outside its tier's hours. */
  outOfHours: OutOfHoursConfig;
  /** Credentials from the environment; never logged, never in the file. */
  secrets: { slack?: SlackSecrets; discord?: DiscordSecrets };
  /** HTTP port for platforms that receive requests (Slack's HTTP mode). */
  port: number;
}

export interface DiscordSecrets {
  token: string;
  applicationId: string;
  apiUrl?: string;
}

/** Discord settings that are not secrets. */
export interface DiscordConfig {
  /** Guild (server) ids tierdesk serves. */
  guilds: string[];
  /** The text channel in which each ticket gets a private thread with its requester. */
  ticketsChannel?: string;
}

export interface SlackSecrets {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
}

/** Raised by loadConfig with every problem found, each naming its key path. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly source: string,
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** The built-in configuration used when no tierdesk.yaml exists: enough to try every feature. */
export const DEMO_CONFIG_YAML = `
people:
  requester:  { name: Requester }
  agent1:     { name: Agent One }
  agent2:     { name: Agent Two }
  specialist: { name: Sam Specialist }
tiers:
  - id: L1
    name: Help desk
    agents: [agent1]
    channels: { console: l1-desk }
  - id: L2
    name: Second level
    agents: [agent2]
    channels: { console: l2-desk }
    escalation_policy: l2-pager
  - id: L3
    name: Specialists
    agents: [specialist]
    channels: { console: l3-desk }
calendars:
  office: { zone: UTC, hours: 24x7 }
schedules:
  l2-on-call:
    zone: UTC
    layers: [ { name: always, users: [agent2], start: "2024-01-01T00:00", turn: 1 week } ]
escalation_policies:
  l2-pager:
    steps: [ { notify: { schedule: l2-on-call } }, { wait: 15m }, { notify: { channel: L2 } } ]
paging:
  escalated_into: [P1]
  sla_breach: [P1]
sla:
  policies:
    - { priority: P1, first_response: 15 minutes, resolution: 4 hours, calendar: office }
    - { priority: P2, first_response: 1 hour, resolution: 8 hours, calendar: office }
    - { priority: P3, first_response: 4 hours, resolution: 3 days, calendar: office }
    - { priority: P4, first_response: 1 day, resolution: 5 days, calendar: office }
    - { priority: P5, first_response: 2 days, resolution: 10 days, calendar: office }
peer:
  channels: { console: [peer] }
  moderators: [agent1]
  unanswered: { ping_after: 30m, ticket_after: 4h, calendar: office }
  stale: { ask_after: 3d, close_after: 2d }
kb:
  authors: [L2, L3]
`;

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface LoadOptions {
  /** Path from --config; falls back to TIERDESK_CONFIG, then ./tierdesk.yaml, then the demo. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  /** Use this YAML text instead of reading a file (tests). */
  text?: string;
}

/** Load and validate the configuration and environment. Throws ConfigError listing every problem. */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  let source: string;
  let text: string;
  if (options.text !== undefined) {
    source = 'inline config';
    text = options.text;
  } else {
    const path = options.path ?? env.TIERDESK_CONFIG ?? (existsSync('tierdesk.yaml') ? 'tierdesk.yaml' : undefined);
    if (path === undefined) {
      source = 'built-in demo';
      text = DEMO_CONFIG_YAML;
    } else {
      source = path;
      text = readConfigFile(path);
    }
  }
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) throw new ConfigError([tooLarge(Buffer.byteLength(text))], source);
  return validateConfig(parseYaml(text, source), source, env);
}

/** A configuration file is at most 1 MB: far more than any help desk needs, and quick to check. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
const tooLarge = (bytes: number) =>
  `the file is ${(bytes / 1024 / 1024).toFixed(1)} MB; a configuration file may be at most 1 MB (${MAX_CONFIG_BYTES} bytes)`;

function readConfigFile(path: string): string {
  try {
    // Refuse a huge file before reading it: its size alone says it is not a configuration.
    const { size } = statSync(path);
    if (size > MAX_CONFIG_BYTES) throw new ConfigError([tooLarge(size)], path);
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError([`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`], path);
  }
}

/** YAML text to plain data; syntax errors and alias bombs ("billion laughs") are problems, never a crash. */
function parseYaml(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new ConfigError(
      doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`),
      source,
    );
  try {
    return doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    const what = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
    throw new ConfigError(
      [`YAML: ${/alias/i.test(what) ? 'too many aliases (*name) expand the document; it looks like an alias bomb' : what}`],
      source,
    );
  }
}

/** Validate an already-parsed configuration object. */
export function validateConfig(raw: unknown, source: string, env: NodeJS.ProcessEnv = {}): Config {
  const problems: string[] = [];
  const bad = (path: string, msg: string) => problems.push(`${path}: ${msg}`);
  const root = isRecord(raw) ? raw : (bad('(root)', 'must be a mapping of sections'), {});

  const people = readPeople(root.people, bad);
  const tiers = readTiers(root.tiers, new Set(people.map((p) => p.id)), bad);
  const tierIds = new Set(tiers.map((t) => t.id));
  const tickets = readTickets(root.tickets, bad);
  const matrix = readMatrix(root.priority, bad);
  const cal = parseCalendars(root.calendars);
  problems.push(...cal.problems);
  standInForBroken(cal.calendars, root.calendars);
  const products = readProducts(root.products, tiers, cal.calendars, bad);
  const routing = readRouting(root.routing, tierIds, tickets.categories, products, bad);
  const sla = readSla(root.sla, cal.calendars, new Set(people.map((p) => p.id)), bad);
  const slack = readSlack(root.slack, bad);
  const discord = readDiscord(root.discord, bad);
  const oncall = readOncall(root, { people: new Set(people.map((p) => p.id)), tiers, calendars: cal.calendars }, bad);
  const peer = readPeer(root.peer, { people: new Set(people.map((p) => p.id)), tiers: tiers.map((t) => t.id), calendars: cal.calendars }, bad);
  const kb = readKb(
    root.kb,
    tiers.map((t) => t.id),
    bad,
  );
  const csat = readCsat(root.csat, bad);
  const outOfHours = readOutOfHours(root.out_of_hours, bad);
  if (env.DISCORD_TOKEN?.trim() && !discord.ticketsChannel) {
    bad(
      'discord.tickets_channel',
      'is required to run the Discord adapter: each ticket gets a private thread with its requester in this text channel',
    );
  }

  const secrets = readSecrets(env, bad);
  platformProblems(tiers, secrets, bad);
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) bad('PORT', `must be a TCP port number, not ${JSON.stringify(env.PORT)}`);
  const ops = env.TIERDESK_OPS_PORT;
  if (ops !== undefined && ops !== '' && !(Number.isInteger(Number(ops)) && Number(ops) >= 0 && Number(ops) <= 65535))
    bad('TIERDESK_OPS_PORT', `must be a TCP port number, not ${JSON.stringify(ops)}`);
  // A SQLite file path or :memory:, or a postgres:// / postgresql:// URL (src/store/connect.ts).
  const url = env.DATABASE_URL?.trim() || './data/tierdesk.db';

  const all = mergeProblems(shapeProblems(raw), problems, Object.keys(root));
  if (all.length > 0) throw new ConfigError(all, source);
  return {
    source,
    people,
    tiers,
    tickets,
    priority: { matrix },
    routing,
    products,
    database: { url },
    calendars: cal.calendars,
    ...(sla ? { sla } : {}),
    slack,
    discord,
    oncall,
    peer,
    kb,
    csat,
    outOfHours,
    secrets,
    port,
  };
}

/**
 * A calendar that is defined but broken (its own problems are reported) still exists for the sections
 * that name it: a bad zone must not also make every policy using the calendar "not a calendar".
 * The configuration is refused anyway, so the stand-in never runs.
 */
function standInForBroken(calendars: Map<string, Calendar>, raw: unknown): void {
  if (!isRecord(raw)) return;
  for (const name of Object.keys(raw)) if (!calendars.has(name)) calendars.set(name, { ...BUILT_IN_CALENDARS['24x7']!, name });
}

function readPeople(raw: unknown, bad: Bad): PersonConfig[] {
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

function readTiers(raw: unknown, personIds: Set<string>, bad: Bad): TierConfig[] {
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
    tiers.push(tier);
  });
  return tiers;
}
