#!/usr/bin/env node
/**
 * The composition root: reads the config and environment, opens the database, picks the adapters,
 * and wires them to the core. The only file under src/ allowed to import adapters/ and platform SDKs.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createConsoleAdapter } from '../adapters/console/console-adapter.js';
import { createSlackAdapter } from '../adapters/slack/slack-adapter.js';
import { supportWindowsText } from './capabilities/products/windows.js';
import { slackManifest } from '../adapters/slack/manifest.js';
import { createDiscordAdapter } from '../adapters/discord/discord-adapter.js';
import { discordCommand } from '../adapters/discord/cli.js';
import { checkCommand } from '../adapters/check-command.js';
import { createCatalogue } from './capabilities/index.js';
import { serveDashboard, webCommand } from '../adapters/web/cli.js';
import { Directory } from './core/directory.js';
import { startOpsServer } from './ops-server.js';
import type { createDesk } from './core/desk.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { createLogger } from './logger.js';
import { systemClock, type ChatAdapter } from './ports.js';
import { InboundGate } from './core/operations.js';
import { deskWithDelivery } from './cli/delivery.js';
import { readDiscordShards, type DiscordShards } from './config/discord-shards.js';
import { redactUrl } from './store/dialect.js';
import { holdingDatabase } from './store/sqlite-lock.js';
import { openServingDatabase } from './cli/serving-database.js';
import { shutDown } from './cli/shut-down.js';
import { slaCommand } from './cli/sla.js';
import { reportCommand } from './cli/report.js';
import { oncallCommand } from './cli/oncall.js';
import { migrateCommand } from './cli/migrate.js';
import { one, CliError } from './cli/args.js';
import { parseCommandLine, type CommandLine } from './cli/parse.js';
import { version } from './cli/version.js';
import type { Io } from './cli/io.js';
import { configCommand } from './config/config-command.js';
import { exportCommand, purgeCommand } from './capabilities/transcripts/records-cli.js';

export type { Io } from './cli/io.js';

/**
 * Run the CLI; resolves with the exit code. The command line is parsed strictly before anything is
 * read or opened: a wrong one exits 2 having touched nothing.
 */
export async function main(io: Io): Promise<number> {
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const complain = (text: string) => io.stderr.write(`${text}\n`);
  let line: CommandLine;
  try {
    line = parseCommandLine(io.argv);
  } catch (err) {
    if (err instanceof CliError) return (complain(err.message), 2);
    throw err;
  }
  if (line.kind === 'version') return (say(version()), 0);
  if (line.kind === 'help') return (say(line.text), 0);
  const args = line.args;
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

  if (['login-link', 'sessions', 'tokens'].includes(args.command)) return webCommand(args, config, io.env, say, complain);
  switch (args.command) {
    case 'check':
      return checkCommand(config, args.flags.has('online'), say);
    case 'migrate':
      return migrateCommand(io, args, config.database.url);
    case 'start':
      return start(io, config, logger, shards, one(args, 'config'));
    case 'sla':
      return slaCommand(args, config, say, complain);
    case 'report':
      return reportCommand(args, config, logger, say, complain);
    case 'discord':
      return discordCommand(args, config, createCatalogue().surface('discord', config), say, complain);
    case 'oncall':
      return oncallCommand(args, config, say, complain);
    case 'export':
      return exportCommand({ from: one(args, 'from'), to: one(args, 'to'), format: one(args, 'format') }, config, io.stdout, complain);
    case 'purge':
      return purgeCommand({ requester: one(args, 'requester'), yes: args.flags.has('yes') }, config, logger, say, complain);
    case 'products':
      return (say(supportWindowsText(config, Date.now())), 0);
    case 'slack': {
      const url = one(args, 'url');
      say(
        slackManifest({
          name: one(args, 'name') ?? 'tierdesk',
          ...(url !== undefined ? { requestUrl: url } : {}),
          socketMode: args.flags.has('socket-mode'),
          surface: createCatalogue().surface('slack', config),
        }),
      );
      return 0;
    }
    default:
      // The parser knows every command; reaching here is a command listed without a handler.
      throw new Error(`no handler for the command "${args.command}"`);
  }
}

async function start(io: Io, config: Config, logger: ReturnType<typeof createLogger>, shards: DiscordShards, configPath?: string): Promise<number> {
  // One process per SQLite file (ARCHITECTURE.md); PostgreSQL takes replicas.
  return holdingDatabase(config.database.url, io.stderr, (soleUser) => serve(io, config, logger, shards, soleUser, configPath));
}

async function serve(
  io: Io,
  config: Config,
  logger: ReturnType<typeof createLogger>,
  shards: DiscordShards,
  soleUser: boolean,
  configPath: string | undefined,
): Promise<number> {
  const db = await openServingDatabase(config, logger, soleUser, io.stderr);
  if (!db) return 1;
  let finish!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  // eslint-disable-next-line prefer-const
  let desk: ReturnType<typeof createDesk>;
  const adapters = platformAdapters(config, logger, shards);
  // The console runs only when no platform does: it is the no-accounts way to try tierdesk.
  if (adapters.length === 0) {
    adapters.push(
      createConsoleAdapter({
        input: io.stdin,
        output: io.stdout,
        now: () => systemClock.now(),
        prompt: io.stdin.isTTY === true,
        ...(config.peer.channels.console?.[0] !== undefined ? { peerChannel: config.peer.channels.console[0] } : {}),
        afterLine: () => desk.dispatcher.drain(),
        onEnd: () => finish(0),
      }),
    );
    io.stdout.write(banner(config));
  }
  // Inbound events pass a gate: on a signal it refuses new ones while those under way finish.
  const gate = new InboundGate();
  const consoleOnly = adapters.every((a) => a.platform === 'console');
  const made = await deskWithDelivery(
    { db, config, clock: systemClock, logger, adapters: adapters.map((a) => gate.wrap(a)) },
    {
      consoleOnly,
      env: io.env,
      configPath,
      workerDied: (reason) => {
        logger.error('the delivery worker stopped; stopping tierdesk so that it is restarted', { reason });
        finish(1);
      },
    },
  );
  if (made instanceof Error) return (io.stderr.write(`Cannot start delivery: ${made.message}\n`), await db.destroy(), 1);
  const worker = made.worker;
  desk = made.desk;
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
    await worker?.stop();
    await desk.stop().catch(() => undefined);
    await db.destroy();
    return 1;
  }
  for (const a of adapters)
    if (a.platform !== 'console') logger.info('adapter started', { platform: a.platform, ...('url' in a && a.url ? { url: a.url } : {}) });
  const opsPort = io.env.TIERDESK_OPS_PORT;
  const ops = opsPort ? await startOpsServer(desk.core, adapters, Number(opsPort), logger) : undefined;
  if (ops) logger.info('health and metrics', { url: ops.url });
  const consoleMode = adapters.every((a) => a.platform === 'console');
  const stopDashboard = await serveDashboard(desk, io.env, consoleMode, (line) => (consoleMode ? io.stdout.write(`${line}\n`) : logger.info(line)));
  const code = await finished;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  // A second SIGINT or SIGTERM while this runs ends the process at once.
  await shutDown({ desk, db, adapters, gate, logger, ops, stopDashboard, worker }, signal);
  return code;
}

/** The Slack and Discord adapters whose secrets are configured, each offering the catalogue's surface. */
function platformAdapters(config: Config, logger: ReturnType<typeof createLogger>, shards: DiscordShards): ChatAdapter[] {
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
        surface: createCatalogue().surface('slack', config),
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
        surface: createCatalogue().surface('discord', config),
        platformGroups: directory.platformGroups('discord'),
        peerForums: config.peer.channels.discord ?? [],
        peerTags: config.peer.tags,
        logger,
        now: () => systemClock.now(),
        ...shards,
      }),
    );
  }
  return adapters;
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
