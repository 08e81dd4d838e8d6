import type { Product } from '../domain/support-window.js';
import type { OutOfHoursConfig } from './out-of-hours.js';
import type { CsatConfig } from './csat.js';
import type { WebhookConfig } from './webhooks.js';
import type { TranscriptsConfig } from './transcripts.js';
import type { SlaConfig } from './sla.js';
import type { OncallConfig } from './oncall.js';
import type { KbConfig, PeerConfig } from './peer.js';
import type { Level, PriorityMatrix } from '../domain/priority.js';
import type { Calendar } from '../domain/calendar.js';
import type { Platform } from '../ports.js';

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

/** A routing rule: every condition it names must match (a version range needs a product). */
export interface RoutingRule {
  category?: string;
  product?: string;
  /** The first and last version of the range, in release order (either may be left open). */
  from?: string;
  to?: string;
  tier: string;
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
  /** A Slack user group and a Discord role whose members tierdesk keeps equal to who is on call. */
  oncallHandle?: { slack?: string; discord?: string };
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
    /** Closed tickets' conversation text is deleted this long after they close, in ms (unset: kept). */
    retentionMs?: number;
  };
  priority: { matrix: PriorityMatrix };
  /** The first rule whose category matches picks the entry tier. */
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
  /** Where closed tickets' transcripts go. */
  transcripts: TranscriptsConfig;
  /** Outbound webhooks: lifecycle events, signed, delivered through the outbox. */
  webhooks: WebhookConfig[];
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
