#!/usr/bin/env node
/**
 * The composition root: reads the config and environment, opens the database, picks the adapters,
 * and wires them to the core. The only file under src/ allowed to import adapters/ and platform SDKs.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createConsoleAdapter } from '../adapters/console/console-adapter.js';
import { createSlackAdapter } from '../adapters/slack/slack-adapter.js';
import { slackManifest } from '../adapters/slack/manifest.js';
import { createDiscordAdapter } from '../adapters/discord/discord-adapter.js';
import { discordCommand } from '../adapters/discord/cli.js';
import { Directory } from './core/directory.js';
import { startOpsServer } from './ops-server.js';
import { createDesk } from './core/desk.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { createLogger } from './logger.js';
import { systemClock, type ChatAdapter } from './ports.js';
import { openDatabase, type Db } from './store/connect.js';
import { releaseAllLeases, trackLeases } from './store/leases.js';
import { InboundGate } from './core/operations.js';
import { readDiscordShards, type DiscordShards } from './config/discord-shards.js';
import { migrateDownAll, migrateToLatest } from './store/migrate.js';
import { redactUrl } from './store/dialect.js';
import { redactSecretsOf } from './store/url-secrets.js';
import { holdingDatabase } from './store/sqlite-lock.js';
import { reportCommand, slaCommand } from './cli-sla.js';
import { oncallCommand } from './cli-oncall.js';
import { one, parseArgs } from './cli-args.js';
import { configCommand } from './config/config-command.js';
import { exportCommand, purgeCommand } from './capabilities/transcripts/records-cli.js';

const USAGE = `Usage: tierdesk [command] [--config FILE]

Commands:
  start              run tierdesk (the default). With no platform credentials it runs the console chat.
  migrate            bring the database schema up to date (also done by start)
  migrate --down-all revert every migration (drops tierdesk's tables)
  check              validate the configuration and environment, then exit
  config schema      print the JSON Schema of tierdesk.yaml (editors complete and check from it)
  sla due --calendar NAME --start ISO --minutes N [--pause ISO/ISO]... [--json]
                     the instant N business minutes after start, in UTC
  sla between --calendar NAME --from ISO --to ISO [--pause ISO/ISO]... [--json]
                     business minutes between two instants
  slack manifest [--name NAME] [--url https://host/slack/events] [--socket-mode]
                     the Slack app manifest to paste at api.slack.com/apps (Create New App → From a manifest)
  oncall who --schedule NAME --at ISO [--json]
                     who is on call at that instant, one per line
  oncall shifts --schedule NAME --from ISO --to ISO [--json]
                     the final shifts (who, from, to) in order
  oncall plan --policy NAME --at ISO [--json]
                     the notifications a page started then would send if nobody acknowledged
  discord register [--guild ID]
                     register the /ticket command: in one guild (instant, for testing) or globally
  discord panel CHANNEL_ID
                     post an "Open a ticket" panel message in a channel
  report [--from DATE] [--to DATE] [--by tier|priority|agent] [--format table|json|csv]
                     SLA attainment, breaches, median and p90 times, backlog (default: the last 30 days)
  export [--from DATE] [--to DATE] [--format jsonl|csv]
                     every ticket created in the range, with its events, streamed to stdout (default jsonl)
  purge --requester PLATFORM:ID [--yes]
                     erase what one person wrote (e.g. slack:U0123ABCD); without --yes, say what it would erase
  help               this text

Environment:
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
  TIERDESK_LOG_LEVEL debug | info | warn | error (logs are JSON lines on stderr)`;

export interface Io {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Run the CLI; resolves with the exit code. */
export async function main(io: Io): Promise<number> {
  const args = parseArgs(io.argv);
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const complain = (text: string) => io.stderr.write(`${text}\n`);
  if (args.command === 'help' || args.flags.has('help')) return (say(USAGE), 0);
  if (args.command === 'config') return configCommand(args.rest, say, complain);

  let config: Config;
  let shards: DiscordShards;
  try {
    const configPath = one(args, 'config');
    config = loadConfig({ ...(configPath !== undefined ? { path: configPath } : {}), env: io.env });
    shards = readDiscordShards(io.env);
  } catch (err) {
    if (err instanceof ConfigError) return (complain(err.message), 1);
    throw err;
  }
  const logger = createLogger({ level: io.env.TIERDESK_LOG_LEVEL ?? 'info', stream: io.stderr, databaseUrl: config.database.url });

  switch (args.command) {
    case 'check':
      say(`${config.source}: OK (${config.tiers.length} tiers, ${config.people.length} people, database ${redactUrl(config.database.url)})`);
      return 0;
    case 'migrate': {
      const db = openDatabase(config.database.url);
      try {
        const done = args.flags.has('down-all') ? await migrateDownAll(db) : await migrateToLatest(db);
        say(done.length > 0 ? done.join('\n') : 'The database is up to date.');
        return 0;
      } finally {
        await db.destroy();
      }
    }
    case 'start':
      return start(io, config, logger, shards);
    case 'sla':
      return slaCommand(args, config, say, complain);
    case 'report':
      return reportCommand(args, config, logger, say, complain);
    case 'discord':
      return discordCommand(args, config, say, complain);
    case 'oncall':
      return oncallCommand(args, config, say, complain);
    case 'export':
      return exportCommand({ from: one(args, 'from'), to: one(args, 'to'), format: one(args, 'format') }, config, io.stdout, complain);
    case 'purge':
      return purgeCommand({ requester: one(args, 'requester'), yes: args.flags.has('yes') }, config, logger, say, complain);
    case 'slack':
      if (args.rest[0] === 'manifest') {
        say(
          slackManifest({
            name: one(args, 'name') ?? 'tierdesk',
            ...(one(args, 'url') !== undefined ? { requestUrl: one(args, 'url')! } : {}),
            socketMode: args.flags.has('socket-mode'),
          }),
        );
        return 0;
      }
      complain('Usage: tierdesk slack manifest [--name NAME] [--url https://your.host/slack/events] [--socket-mode]');
      return 2;
    default:
      complain(`Unknown command "${args.command}".\n\n${USAGE}`);
      return 2;
  }
}

async function start(io: Io, config: Config, logger: ReturnType<typeof createLogger>, shards: DiscordShards): Promise<number> {
  // One process per SQLite file (ARCHITECTURE.md); PostgreSQL takes replicas.
  return holdingDatabase(config.database.url, io.stderr, (soleUser) => serve(io, config, logger, shards, soleUser));
}

async function serve(io: Io, config: Config, logger: ReturnType<typeof createLogger>, shards: DiscordShards, soleUser: boolean): Promise<number> {
  let db: Db;
  try {
    // Leases taken through this handle are remembered, so that stopping gives them back at once.
    db = trackLeases(
      openDatabase(config.database.url, {
        onConnectionError: (err) => logger.warn('database connection lost; reconnecting on next use', { error: err.message }),
      }),
      () => systemClock.now(),
    );
    await migrateToLatest(db);
    // Alone on the file: every lease in it is a dead process's (kill -9); waiting for it only delays messages.
    if (soleUser) {
      const voided = await releaseAllLeases(db, systemClock.now());
      if (voided.outbox + voided.timers > 0) logger.debug('leases of a previous run voided', voided);
    }
  } catch (err) {
    const why = redactSecretsOf(config.database.url, err instanceof Error ? err.message : String(err));
    io.stderr.write(`Cannot open the database at ${redactUrl(config.database.url)}: ${why}\n`);
    return 1;
  }
  let finish!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const interactive = io.stdin.isTTY === true;
  // eslint-disable-next-line prefer-const
  let desk: ReturnType<typeof createDesk>;
  const adapters: ChatAdapter[] = [];
  const directory = new Directory(config);
  const slack = config.secrets.slack;
  if (slack) {
    adapters.push(
      createSlackAdapter({
        botToken: slack.botToken,
        ...(slack.signingSecret ? { signingSecret: slack.signingSecret } : {}),
        ...(slack.appToken ? { appToken: slack.appToken } : {}),
        ...(slack.apiUrl ? { apiUrl: slack.apiUrl } : {}),
        port: config.port,
        reaction: config.slack.reaction,
        tiers: config.tiers.map((t) => ({ id: t.id, name: t.name })),
        ...(config.tickets.categories ? { categories: config.tickets.categories } : {}),
        defaults: { urgency: config.tickets.defaultUrgency, impact: config.tickets.defaultImpact },
        platformGroups: directory.platformGroups('slack'),
        peerChannels: config.peer.channels.slack ?? [],
        logger,
        now: () => systemClock.now(),
      }),
    );
  }
  const discord = config.secrets.discord;
  if (discord) {
    adapters.push(
      createDiscordAdapter({
        token: discord.token,
        applicationId: discord.applicationId,
        ...(discord.apiUrl ? { apiUrl: discord.apiUrl } : {}),
        guilds: config.discord.guilds,
        ...(config.discord.ticketsChannel ? { ticketsChannel: config.discord.ticketsChannel } : {}),
        tiers: config.tiers.map((t) => ({ id: t.id, name: t.name })),
        defaults: { urgency: config.tickets.defaultUrgency, impact: config.tickets.defaultImpact },
        platformGroups: directory.platformGroups('discord'),
        peerForums: config.peer.channels.discord ?? [],
        peerTags: config.peer.tags,
        logger,
        now: () => systemClock.now(),
        ...shards,
      }),
    );
  }
  // The console runs only when no platform does: it is the no-accounts way to try tierdesk.
  if (adapters.length === 0) {
    adapters.push(
      createConsoleAdapter({
        input: io.stdin,
        output: io.stdout,
        now: () => systemClock.now(),
        prompt: interactive,
        ...(config.peer.channels.console?.[0] !== undefined ? { peerChannel: config.peer.channels.console[0] } : {}),
        afterLine: () => desk.dispatcher.drain(),
        onEnd: () => finish(0),
      }),
    );
    io.stdout.write(banner(config));
  }
  // Inbound events pass a gate: on a signal it refuses new ones while those under way finish.
  const gate = new InboundGate();
  desk = createDesk({ db, config, clock: systemClock, logger, adapters: adapters.map((a) => gate.wrap(a)) });
  let signal: NodeJS.Signals | undefined;
  const onSignal = (received: NodeJS.Signals) => {
    signal = received;
    finish(0);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await desk.start();
  } catch (err) {
    io.stderr.write(`Cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    await desk.stop().catch(() => undefined);
    await db.destroy();
    return 1;
  }
  for (const a of adapters)
    if (a.platform !== 'console') logger.info('adapter started', { platform: a.platform, ...('url' in a && a.url ? { url: a.url } : {}) });
  const opsPort = io.env.TIERDESK_OPS_PORT;
  const ops = opsPort ? await startOpsServer(desk.core, adapters, Number(opsPort), logger) : undefined;
  if (ops) logger.info('health and metrics', { url: ops.url });
  const code = await finished;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  // Graceful shutdown (a signal, or the console's end of input): stop taking work (health says
  // so, new inbound events are refused), let the events under way finish their transactions, stop
  // the adapters and loops (a delivery pass or timer under way finishes), give back our leases.
  // A second SIGINT or SIGTERM while this runs ends the process at once.
  if (signal) logger.info('stopping', { signal });
  ops?.stopping();
  // Stop receiving first (Slack: the socket closes once the envelopes under way are acked), so new
  // events go to another connection or are redelivered instead of being refused by the gate.
  await Promise.all(
    adapters.map((a) =>
      a
        .stopReceiving?.()
        .catch((err: unknown) =>
          logger.warn('cannot stop receiving', { platform: a.platform, error: err instanceof Error ? err.message : String(err) }),
        ),
    ),
  );
  if (!(await gate.close(10_000))) logger.warn('inbound events still under way after 10 s; stopping anyway', { inflight: gate.inflight });
  // The console delivers what is still due first (it prints it). Platform replicas leave the rest
  // in the outbox for the other replicas, or for the next start.
  if (!signal || adapters.every((a) => a.platform === 'console')) await desk.dispatcher.drain();
  await desk.stop();
  await db.destroy();
  await ops?.close();
  if (signal) logger.info('stopped', { signal });
  return code;
}

function banner(config: Config): string {
  const lines = [`tierdesk · console chat · config: ${config.source} · database: ${redactUrl(config.database.url)}`];
  lines.push('Tiers:');
  for (const t of config.tiers) {
    const agents = t.agents.map((a) => config.people.find((p) => p.id === a)?.console ?? a).join(', ') || '(no agents)';
    lines.push(`  ${t.id} ${t.name}: agents ${agents}; channel #${t.channels.console}`);
  }
  const agentIds = new Set(config.tiers.flatMap((t) => t.agents));
  const others = config.people.filter((p) => !agentIds.has(p.id)).map((p) => p.console);
  lines.push(`Requesters: ${others.length > 0 ? others.join(', ') : '(anyone)'} (anyone not listed can open tickets too)`);
  lines.push('Type "<user>: <text>", e.g.  requester: /ticket new Printer on fire --urgency high');
  lines.push('Write in a ticket with "#N": agent1: #1 Have you tried a new toner cartridge?   /help lists every command.');
  const peer = config.peer.channels.console?.[0];
  if (peer !== undefined)
    lines.push(
      `Peer support in #${peer}: requester: /ask How do I map a network drive?  then  agent2: Q1 Use File Explorer › Map network drive  and  requester: /mark m2  (the number printed with the answer); /kb search <words>`,
    );
  return `${lines.join('\n')}\n`;
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  main({ argv: process.argv.slice(2), env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
    // Exit only once everything written to stdout has reached the OS (a pipe may still hold some).
    (code) => process.stdout.write('', () => process.exit(code)),
    (err) => {
      process.stderr.write(`tierdesk crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
