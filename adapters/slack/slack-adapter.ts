import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import type { ChatAdapter, Inbound, Reply } from '../../src/ports.js';
import type { Intake } from '../../src/intake-port.js';
import { rejectionLog } from './request-guard.js';
import { frontDoor, type BoltHttpReceiver, type CommandHandler } from './front.js';
import { registerListeners, type ListenerContext } from './listeners.js';
import { commandFront } from './slash-commands.js';
import { homeView } from './home.js';
import { answerThroughResponseUrl, slackOutbound } from './outbound.js';
import { slackPeople } from './people.js';
import { receivingStopper } from './receiving.js';
import { timeAcks } from './ack-timing.js';
import type { SlackAdapterOptions } from './options.js';

export type { SlackAdapterOptions } from './options.js';

/** Connections waiting to be accepted, at most (see start). */
const LISTEN_BACKLOG = 4096;
export { deliveryError } from './outbound.js';

export interface SlackAdapter extends ChatAdapter {
  /** HTTP mode: the URL the receiver listens on, once started. */
  readonly url: string | undefined;
  /**
   * Stop taking events from Slack, the first step of a graceful shutdown (before the inbound gate
   * closes): Socket Mode disconnects once every envelope received has been acked (at most Slack's
   * 3 s ack window), so Slack sends new ones to another connection or redelivers them; HTTP mode
   * closes the receiver (requests under way get their answer). Events under way go on, and their
   * answers still go out (Web API, response_url). `stop()` does this first too; calling both is fine.
   */
  stopReceiving(): Promise<void>;
}

/**
 * Slack through the real Bolt App: HTTP mode (signed requests to `/slack/events`) or Socket Mode.
 * It only translates: Slack payloads → Inbound events, cards → Block Kit. It acks before slow work.
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const clientOptions = { ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}), rejectRateLimitedCalls: true, retryConfig: { retries: 0 } };
  // Rejected requests (forged, stale, future) are counted, and logged at most once a minute.
  const rejected = rejectionLog(options.logger, options.now);
  const boltLogger = {
    debug: (...m: unknown[]) => options.logger.debug('slack', { detail: m.map(String).join(' ') }),
    info: (...m: unknown[]) => options.logger.debug('slack', { detail: m.map(String).join(' ') }),
    warn: (...m: unknown[]) => {
      const detail = m.map(String).join(' ');
      if (detail.startsWith('Failed to parse and verify the request data')) rejected(detail);
      else options.logger.warn('slack', { detail });
    },
    error: (...m: unknown[]) => options.logger.error('slack', { detail: m.map(String).join(' ') }),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
  const receiver = options.appToken
    ? new SocketModeReceiver({
        appToken: options.appToken,
        logger: boltLogger,
        installerOptions: { clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl } : {} },
      })
    : undefined;
  if (!receiver && !options.signingSecret) throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)');
  const app = new App({
    token: options.botToken,
    ...(receiver ? { receiver } : { signingSecret: options.signingSecret! }),
    clientOptions,
    logger: boltLogger,
    deferInitialization: true,
    // Bolt's default conversation store (context.conversation, unused here) costs every request a
    // rejected promise with a stack trace ("Conversation not found") and a debug line: ~6% of intake.
    convoStore: false,
  });
  timeAcks(app);
  // HTTP mode: slash commands take the front door (front.ts), the rest goes on to Bolt. Requests
  // are dated against this process's real clock, as Bolt does.
  let commands: ((name: string) => CommandHandler | undefined) | undefined;
  if (!receiver) {
    const bolt = (app as unknown as { receiver: BoltHttpReceiver }).receiver;
    frontDoor(bolt, { signingSecret: options.signingSecret!, now: Date.now, rejected }, (name) => commands?.(name));
  }
  const client = app.client;
  let server: Server | undefined;
  const people = slackPeople(client, options);

  const stopReceiving = receivingStopper(app, receiver, () => server);
  const adapter: SlackAdapter = {
    platform: 'slack',
    get url() {
      const address = server?.address() as AddressInfo | null | undefined;
      return address ? `http://127.0.0.1:${address.port}/slack/events` : undefined;
    },
    async start(deliver: (event: Inbound) => Promise<Reply | void>, intake?: Intake) {
      await app.init();
      // A queued request's answer goes through the response_url it came with.
      intake?.answerLaterWith('slack', answerThroughResponseUrl);
      // It was queued with who the person is as far as known then; it runs with who Slack says.
      intake?.restoreWith('slack', async (e) => ({ ...e, from: await people.person(e.from.space, e.from.id, e.from.name) }));
      const ctx: ListenerContext = {
        ...options,
        deliver,
        ...(intake ? { intake } : {}),
        person: people.person,
        personNow: people.personNow,
        permalink: people.permalink,
        publishHome: (user, reply) => client.views.publish({ user_id: user, view: homeView(reply) }).then(() => undefined),
      };
      registerListeners(app, ctx);
      commands = commandFront(ctx, client);
      if (receiver) await app.start();
      // A burst opens hundreds of connections at once: past Node's default listen backlog (511) the
      // kernel drops their SYNs, and each is retried after 1, 3, 7 s, long past Slack's 3 s. The
      // kernel caps the backlog at net.core.somaxconn (4096 on current Linux).
      else server = (await app.start({ port: options.port ?? 3000, host: options.host ?? '0.0.0.0', backlog: LISTEN_BACKLOG })) as unknown as Server;
    },
    stopReceiving,
    async stop() {
      // Receiving is all there is to stop: the Web API client needs no closing.
      await stopReceiving();
    },
    ...slackOutbound(client, people),
  };
  return adapter;
}

/**
 * Slack's delivery side alone (the Web API client: posts, edits, DMs, labels, grants), for a
 * deliverer that takes no events: the delivery worker of `tierdesk start` (src/delivery-worker.ts).
 */
export function createSlackOutbound(options: Pick<SlackAdapterOptions, 'botToken' | 'apiUrl' | 'platformGroups' | 'logger' | 'now'>): ChatAdapter {
  const client = new webApi.WebClient(options.botToken, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logLevel: webApi.LogLevel.ERROR,
  });
  return {
    platform: 'slack',
    async start() {},
    async stop() {},
    ...slackOutbound(client as unknown as App['client'], slackPeople(client as unknown as App['client'], options)),
  };
}
