/**
 * Every command of the `tierdesk` command line, listed once: its words, the options it accepts, what
 * it takes as arguments, and its help. The parser (./parse.ts) refuses anything not listed here, and
 * the help texts are written from it.
 */

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** `--pause` may be given several times. */
  multiple?: boolean;
  /** How the value is shown in help (`NAME`, `ISO`). */
  value?: string;
  description: string;
}

export interface CommandSpec {
  /** The words naming the command: `['sla', 'due']`. */
  path: string[];
  /** What follows the command words in its usage line. */
  synopsis: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** Names of the positional arguments it takes, in order (none by default). */
  positionals?: string[];
}

const json: OptionSpec = { type: 'boolean', description: 'print JSON instead of text' };
const instant = (what: string): OptionSpec => ({
  type: 'string',
  value: 'ISO',
  description: `${what} (ISO-8601 with a zone, e.g. 2024-03-08T21:00:00Z)`,
});
const pause: OptionSpec = { type: 'string', multiple: true, value: 'ISO/ISO', description: 'a span when the clock is paused; repeatable' };
const calendar: OptionSpec = { type: 'string', value: 'NAME', description: 'a calendar from the configuration' };

/** Options every command accepts. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  config: { type: 'string', value: 'FILE', description: 'the configuration file (default: $TIERDESK_CONFIG, ./tierdesk.yaml, or the built-in demo)' },
  help: { type: 'boolean', description: 'show this help' },
};

export const COMMANDS: CommandSpec[] = [
  { path: ['start'], synopsis: '', summary: 'run tierdesk (the default). With no platform credentials it runs the console chat.', options: {} },
  {
    path: ['migrate'],
    synopsis: '[--down-all [--yes]]',
    summary: 'bring the database schema up to date (also done by start)',
    options: {
      'down-all': {
        type: 'boolean',
        description: "revert every migration: drops tierdesk's tables and their data; asks you to type the database's name",
      },
      yes: { type: 'boolean', description: 'confirm --down-all without asking (for scripts)' },
    },
  },
  {
    path: ['check'],
    synopsis: '[--online]',
    summary: 'validate the configuration and environment, then exit',
    options: {
      online: {
        type: 'boolean',
        description:
          'also connect to Slack and Discord with the configured tokens: the token, its scopes, the bot in each configured channel with what it may do there, the user groups and roles named; exit 1 on any ✗',
      },
    },
  },
  { path: ['config', 'schema'], synopsis: '', summary: 'print the JSON Schema of tierdesk.yaml (editors complete and check from it)', options: {} },
  {
    path: ['sla', 'due'],
    synopsis: '--calendar NAME --start ISO --minutes N [--pause ISO/ISO]... [--json]',
    summary: 'the instant N business minutes after start, in UTC',
    options: {
      calendar,
      start: instant('when the clock starts'),
      minutes: { type: 'string', value: 'N', description: 'business minutes, 0 or more' },
      pause,
      json,
    },
  },
  {
    path: ['sla', 'between'],
    synopsis: '--calendar NAME --from ISO --to ISO [--pause ISO/ISO]... [--json]',
    summary: 'business minutes between two instants',
    options: { calendar, from: instant('the start'), to: instant('the end, not before the start'), pause, json },
  },
  {
    path: ['slack', 'manifest'],
    synopsis: '[--name NAME] [--url https://host/slack/events] [--socket-mode]',
    summary: 'the Slack app manifest to paste at api.slack.com/apps (Create New App → From a manifest)',
    options: {
      name: { type: 'string', value: 'NAME', description: 'the app name (default tierdesk)' },
      url: { type: 'string', value: 'URL', description: 'the public https URL of /slack/events (HTTP mode)' },
      'socket-mode': { type: 'boolean', description: 'a Socket Mode app (no public URL; needs SLACK_APP_TOKEN)' },
    },
  },
  {
    path: ['oncall', 'who'],
    synopsis: '--schedule NAME --at ISO [--json]',
    summary: 'who is on call at that instant, one per line',
    options: { schedule: { type: 'string', value: 'NAME', description: 'a schedule from the configuration' }, at: instant('the instant'), json },
  },
  {
    path: ['oncall', 'shifts'],
    synopsis: '--schedule NAME --from ISO --to ISO [--json]',
    summary: 'the final shifts (who, from, to) in order, over up to ten years',
    options: {
      schedule: { type: 'string', value: 'NAME', description: 'a schedule from the configuration' },
      from: instant('the start'),
      to: instant('the end, after the start'),
      json,
    },
  },
  {
    path: ['oncall', 'plan'],
    synopsis: '--policy NAME --at ISO [--json]',
    summary: 'the notifications a page started then would send if nobody acknowledged',
    options: {
      policy: { type: 'string', value: 'NAME', description: 'an escalation policy from the configuration' },
      at: instant('when the page starts'),
      json,
    },
  },
  {
    path: ['discord', 'register'],
    synopsis: '[--guild ID]',
    summary: 'register the commands: in one guild (instant, for testing) or globally',
    options: { guild: { type: 'string', value: 'ID', description: 'a guild id (default: global)' } },
  },
  {
    path: ['discord', 'panel'],
    synopsis: 'CHANNEL_ID',
    summary: 'post an "Open a ticket" panel message in a channel',
    options: {},
    positionals: ['CHANNEL_ID'],
  },
  {
    path: ['report'],
    synopsis: '[--from DATE] [--to DATE] [--by tier|priority|agent|week|month] [--format table|json|csv]',
    summary: 'SLA attainment, breaches, median and p90 times, backlog, satisfaction (default: the last 30 days)',
    options: {
      from: { type: 'string', value: 'DATE', description: 'first day, YYYY-MM-DD (default: 30 days before --to)' },
      to: { type: 'string', value: 'DATE', description: 'last day, YYYY-MM-DD, included (default: now)' },
      by: { type: 'string', value: 'GROUP', description: 'tier, priority, agent, or the period: week or month, UTC (default tier)' },
      format: { type: 'string', value: 'FORMAT', description: 'table, json or csv (default table)' },
    },
  },
  {
    path: ['export'],
    synopsis: '[--from DATE] [--to DATE] [--format jsonl|csv]',
    summary: 'every ticket created in the range, with its events, streamed to stdout (default jsonl)',
    options: {
      from: { type: 'string', value: 'DATE', description: 'first day, YYYY-MM-DD' },
      to: { type: 'string', value: 'DATE', description: 'last day, YYYY-MM-DD, included' },
      format: { type: 'string', value: 'FORMAT', description: 'jsonl or csv (default jsonl)' },
    },
  },
  {
    path: ['purge'],
    synopsis: '--requester PLATFORM:ID [--yes]',
    summary: 'erase what one person wrote (e.g. slack:U0123ABCD); without --yes, say what it would erase',
    options: {
      requester: { type: 'string', value: 'PLATFORM:ID', description: 'the person, as platform:id' },
      yes: { type: 'boolean', description: 'erase without asking' },
    },
  },
  { path: ['products'], synopsis: '', summary: 'the support windows of every configured product version, the soonest end first', options: {} },
  {
    path: ['login-link'],
    synopsis: 'PERSON',
    summary: 'a one-time sign-in link to the dashboard for a person under people: (single use, 15 minutes)',
    options: {},
    positionals: ['PERSON'],
  },
  {
    path: ['sessions', 'revoke'],
    synopsis: '[PERSON]',
    summary: 'sign out of the dashboard everywhere: one person, or everyone',
    options: {},
    positionals: ['PERSON'],
  },
  {
    path: ['tokens', 'create'],
    synopsis: 'PERSON [--scope read|write] [--label TEXT]',
    summary: 'a personal API token for a person under people: printed once (only its SHA-256 is kept)',
    options: {
      scope: { type: 'string', value: 'SCOPE', description: 'read (the default: see what they may see) or write (also act, as in chat)' },
      label: { type: 'string', value: 'TEXT', description: 'what the token is for (default: "created with the CLI")' },
    },
    positionals: ['PERSON'],
  },
  {
    path: ['tokens', 'list'],
    synopsis: '[PERSON]',
    summary: 'the API tokens not revoked: id, person, scope, label, last use',
    options: {},
    positionals: ['PERSON'],
  },
  { path: ['tokens', 'revoke'], synopsis: 'ID', summary: 'revoke an API token by its id (tdk_<id>_…)', options: {}, positionals: ['ID'] },
  { path: ['help'], synopsis: '[COMMAND]', summary: 'this text, or the help of one command', options: {}, positionals: ['COMMAND', 'SUB'] },
];

const ENVIRONMENT = `Environment:
  TIERDESK_CONFIG    path of tierdesk.yaml (or --config); without one a built-in demo config is used
  DATABASE_URL       SQLite file path (default ./data/tierdesk.db), :memory:, or postgres://user:pass@host/db
  SLACK_BOT_TOKEN    xoxb-…: runs the Slack adapter (with SLACK_SIGNING_SECRET for HTTP mode on PORT,
                     or SLACK_APP_TOKEN xapp-… for Socket Mode); SLACK_API_URL overrides the Web API base URL
  PORT               HTTP port for Slack's HTTP mode (default 3000; path /slack/events)
  TIERDESK_OPS_PORT  serve GET /healthz and GET /metrics (Prometheus) on this port
  DISCORD_TOKEN, DISCORD_APPLICATION_ID
                     run the Discord adapter; DISCORD_API_URL overrides the REST base URL (…/api)
  TIERDESK_DISCORD_SHARD_COUNT, TIERDESK_DISCORD_SHARDS
                     Discord gateway shards: the total across replicas, and the ids this one runs (0,2 or 0-1)
  TIERDESK_WEB_PORT  serve the dashboard on this port (the console serves it on 127.0.0.1:3080 by default)
  TIERDESK_PUBLIC_URL the dashboard's public https:// URL behind your TLS proxy (links; Secure cookies)
  TIERDESK_WEB_SECRET signs sign-in links (32+ characters; default: generated once, kept in the database)
  TIERDESK_LOG_LEVEL debug | info | warn | error (logs are JSON lines on stderr)`;

const line = (c: CommandSpec) => [...c.path, c.synopsis].filter((w) => w !== '').join(' ');

/** The general help: every command, then the environment. */
export function usage(): string {
  const rows = COMMANDS.map((c) => {
    const head = line(c);
    return head.length <= 18 ? `  ${head.padEnd(19)}${c.summary}` : `  ${head}\n${' '.repeat(21)}${c.summary}`;
  });
  return [
    'Usage: tierdesk [command] [--config FILE]',
    '       tierdesk --version | --help | help COMMAND | COMMAND --help',
    '',
    'Commands:',
    ...rows,
    '',
    ENVIRONMENT,
  ].join('\n');
}

/** The help of one command (or of a group such as `sla`: its sub-commands). */
export function commandHelp(path: string[]): string {
  const exact = COMMANDS.find((c) => c.path.join(' ') === path.join(' '));
  if (!exact) {
    const members = COMMANDS.filter((c) => c.path[0] === path[0]);
    return [
      `Usage: tierdesk ${path[0]} <${members.map((c) => c.path[1]).join('|')}> ...`,
      '',
      ...members.map((c) => `  ${line(c)}\n      ${c.summary}`),
    ].join('\n');
  }
  const options = { ...exact.options, ...COMMON_OPTIONS };
  const rows = Object.entries(options).map(([name, o]) => {
    const head = `--${name}${o.value ? ` ${o.value}` : ''}${name === 'help' ? ', -h' : ''}`;
    return `  ${head.padEnd(22)} ${o.description}`;
  });
  return [`Usage: tierdesk ${line(exact)}`, '', exact.summary, '', 'Options:', ...rows].join('\n');
}
