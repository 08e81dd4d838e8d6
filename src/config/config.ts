import { readCsat } from './csat.js';
import { readWebhooks } from './webhooks.js';
import { readTranscripts } from './transcripts.js';
import { readProducts } from './products.js';
import { readOutOfHours } from './out-of-hours.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { BUILT_IN_CALENDARS, parseCalendars, type Calendar } from '../domain/calendar.js';
import { readSla } from './sla.js';
import { readOncall } from './oncall.js';
import { readDiscord, readSecrets, readSlack } from './platforms.js';
import { readMatrix, readRouting, readTickets } from './tickets.js';
import { isRecord } from './fields.js';
import { readKb, readPeer } from './peer.js';
import { mergeProblems, shapeProblems } from './shape.js';
import { platformProblems } from './running-platforms.js';
import { readPeople, readTiers } from './people.js';
import { ConfigError, type Config } from './types.js';

export * from './types.js';

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
  const transcripts = readTranscripts(root.transcripts, bad);
  const outOfHours = readOutOfHours(root.out_of_hours, bad);
  const webhooks = readWebhooks(root.webhooks, env, bad);
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
    transcripts,
    outOfHours,
    webhooks,
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
