/**
 * The delivery worker of `tierdesk start` (a worker thread; src/cli/delivery.ts starts it): the
 * dispatcher, the scheduler and the platforms' Web API / REST clients, on their own connection to
 * the same database, so that posting cards never takes the event loop from intake (acknowledging
 * people within the platform's 3 s). A second composition root: like src/cli.ts it may import the
 * adapters, and only their delivery side.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createSlackOutbound } from '../adapters/slack/slack-adapter.js';
import { createDiscordOutbound } from '../adapters/discord/discord-adapter.js';
import { loadConfig } from './config/config.js';
import { Directory } from './core/directory.js';
import { createDesk } from './core/desk.js';
import { createLogger } from './logger.js';
import { forwardFigures } from './core/metrics.js';
import { systemClock, type ChatAdapter } from './ports.js';
import { openDatabase } from './store/connect.js';
import { trackLeases } from './store/leases.js';
import type { FromIntake, ToIntake, WorkerSetup } from './cli/delivery.js';

/**
 * This thread runs at a lower CPU priority than intake (nice +10; Linux keeps a nice value per
 * thread, and lowering one's own needs no privilege): on a busy machine a card posted a little
 * later is fine, an acknowledgement past 3 s is not. Where it cannot be set, nothing changes.
 */
const DELIVERY_NICE = 10;
try {
  // Elsewhere (macOS, the BSDs) the value belongs to the whole process, intake included: left alone.
  if (process.platform === 'linux') setPriority(0, DELIVERY_NICE);
} catch {
  // not permitted here (a container without the capability): delivery shares the CPU evenly
}

const setup = workerData as WorkerSetup;
const port = parentPort!;
const send = (message: ToIntake) => port.postMessage(message);
// The intake thread serves /metrics: what this thread measures goes there.
const flushFigures = forwardFigures((figures) => send({ type: 'figures', figures }));

const config = loadConfig({ ...(setup.configPath !== undefined ? { path: setup.configPath } : {}), env: setup.env });
const logger = createLogger({ level: setup.env.TIERDESK_LOG_LEVEL ?? 'info', databaseUrl: config.database.url });
const db = trackLeases(
  openDatabase(config.database.url, {
    onConnectionError: (err) => logger.warn('database connection lost; reconnecting on next use', { error: err.message }),
  }),
  () => systemClock.now(),
);
const adapters: ChatAdapter[] = [];
const directory = new Directory(config);
const slack = config.secrets.slack;
if (slack) {
  const now = () => systemClock.now();
  adapters.push(
    createSlackOutbound({
      botToken: slack.botToken,
      ...(slack.apiUrl ? { apiUrl: slack.apiUrl } : {}),
      platformGroups: directory.platformGroups('slack'),
      logger,
      now,
    }),
  );
}
const discord = config.secrets.discord;
if (discord) {
  adapters.push(
    createDiscordOutbound({
      token: discord.token,
      ...(discord.apiUrl ? { apiUrl: discord.apiUrl } : {}),
      guilds: config.discord.guilds,
      ...(config.discord.ticketsChannel ? { ticketsChannel: config.discord.ticketsChannel } : {}),
      peerTags: config.peer.tags,
      logger,
    }),
  );
}
// Delivery only: requests queued at intake are run and answered there, where the platforms' answerers are.
const desk = createDesk({ db, config, clock: systemClock, logger, adapters, deliveryOnly: true });
// Tickets a timer changed (an SLA breach): the intake side tells its live dashboards.
desk.onTicketsChanged((tickets) => send({ type: 'changed', tickets }));

port.on('message', (message: FromIntake) => {
  if (message.type === 'wake') {
    if (message.outbox) desk.dispatcher.nudge();
    if (message.timers) desk.scheduler.nudge();
  } else if (message.type === 'stop') {
    // A pass under way finishes; our leases are given back; then the thread ends.
    void desk
      .stop()
      .then(() => db.destroy())
      .catch((err: unknown) => logger.warn('the delivery worker did not stop cleanly', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        flushFigures();
        send({ type: 'stopped' });
        port.close();
      });
  }
});

try {
  await desk.start();
  send({ type: 'ready' });
} catch (err) {
  send({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
  await db.destroy().catch(() => undefined);
  port.close();
}
