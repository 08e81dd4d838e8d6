import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Card, ChatAdapter, Inbound, Person, Place, Reply, ThreadLabel } from '../../src/ports.js';
import { PermanentDeliveryError, RateLimitedError } from '../../src/ports.js';
import { renderCard } from './block-kit.js';
import { refuseFutureRequests, rejectionLog } from './request-guard.js';
import { registerListeners } from './listeners.js';
import { homeView } from './home.js';
import { slackPeople } from './people.js';
import type { SlackAdapterOptions } from './options.js';

export type { SlackAdapterOptions } from './options.js';

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

/** Slack wants an ack within 3 s; past it, an ack is worthless, so no longer waited for. */
const ACK_WINDOW_MS = 3_000;

const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'account_inactive',
  'user_not_found',
  'message_not_found',
  'cant_update_message',
  'invalid_blocks',
  'msg_too_long',
  'no_text',
  'restricted_action',
  'cannot_dm_bot',
  'user_disabled',
  // reactions and user groups
  'invalid_name',
  'too_many_emoji',
  'too_many_reactions',
  'no_such_subteam',
  'invalid_users',
  'permission_denied',
  'missing_scope',
]);

/** How a peer question's label shows in Slack: reactions tierdesk adds to the question message. */
const LABEL_REACTIONS: Record<ThreadLabel, { add?: string; remove: string[] }> = {
  solved: { add: 'white_check_mark', remove: [] },
  closed: { add: 'lock', remove: [] },
  open: { remove: ['white_check_mark', 'lock'] },
};

/** Platform failures → the dispatcher's vocabulary: wait for Retry-After, give up, or retry. */
export function deliveryError(err: unknown): Error {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
  if (e?.code === webApi.ErrorCode.RateLimitedError) return new RateLimitedError(Math.max(1, e.retryAfter ?? 1) * 1000);
  if (e?.code === webApi.ErrorCode.PlatformError && e.data?.error && PERMANENT.has(e.data.error))
    return new PermanentDeliveryError(`slack: ${e.data.error}`);
  return err instanceof Error ? err : new Error(String(err));
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
  });
  // Bolt checks a request's age against this process's real clock, so the future side does too.
  if (!receiver) refuseFutureRequests((app as unknown as { receiver: Parameters<typeof refuseFutureRequests>[0] }).receiver, Date.now, rejected);
  const client = app.client;
  let server: Server | undefined;
  const directs = new Map<string, string>();
  const people = slackPeople(client, options);
  /** The grant in progress per user group (see grantGroup). */
  const grants = new Map<string, Promise<unknown>>();
  let receiving: Promise<void> | undefined;

  // Socket Mode: the envelopes received and not yet acked (id → when, real time: Slack's clock), so
  // that stopping waits for their acks before closing the socket they go back on. Bolt's own
  // listener runs first and may ack before ours sees the envelope: such acks are remembered.
  const unacked = new Map<string, number>();
  const ackedFirst = new Set<string>();
  let onAcked: (() => void) | undefined;
  if (receiver) {
    receiver.client.on('slack_event', (e: { envelope_id?: string }) => {
      if (!e.envelope_id || ackedFirst.delete(e.envelope_id)) return;
      unacked.set(e.envelope_id, performance.now());
    });
    receiver.client.on('outgoing_message', (m: { envelope_id?: string }) => {
      if (!m.envelope_id) return;
      if (!unacked.delete(m.envelope_id)) {
        if (ackedFirst.size > 1000) ackedFirst.clear();
        ackedFirst.add(m.envelope_id);
      }
      if (unacked.size === 0) onAcked?.();
    });
  }

  /** Resolves once every envelope received in the last 3 s is acked, or after 3 s. */
  async function envelopesAcked(): Promise<void> {
    const now = performance.now();
    for (const [id, at] of unacked) if (now - at > ACK_WINDOW_MS) unacked.delete(id); // too late to ack: Slack has given up on it
    if (unacked.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ACK_WINDOW_MS);
      function done() {
        clearTimeout(timer);
        onAcked = undefined;
        resolve();
      }
      onAcked = done;
    });
  }

  /** Closes the socket (Socket Mode) or the HTTP receiver, at most once. */
  function stopReceiving(): Promise<void> {
    receiving ??= (async () => {
      if (receiver) {
        await envelopesAcked();
        // Disconnecting a client that never connected is fine; a close handshake Slack never
        // finishes is cut short by the SDK (and not waited for past 5 s here).
        await within(receiver.client.disconnect(), 5_000);
      } else if (server) {
        // New connections are refused at once; the requests under way get their answers (acks).
        // Kept-alive connections are closed as soon as they are idle, and any still busy after
        // Slack's 3 s (it has stopped waiting for their answer) are cut.
        const http = server;
        const closed = app.stop();
        const idle = setInterval(() => http.closeIdleConnections(), 20);
        try {
          http.closeIdleConnections();
          if (!(await within(closed, ACK_WINDOW_MS))) http.closeAllConnections();
          await closed;
        } finally {
          clearInterval(idle);
        }
      }
    })();
    return receiving;
  }

  const adapter: SlackAdapter = {
    platform: 'slack',
    get url() {
      const address = server?.address() as AddressInfo | null | undefined;
      return address ? `http://127.0.0.1:${address.port}/slack/events` : undefined;
    },
    async start(deliver: (event: Inbound) => Promise<Reply | void>) {
      await app.init();
      registerListeners(app, {
        ...options,
        deliver,
        person: people.person,
        permalink: people.permalink,
        publishHome: (user, reply) => client.views.publish({ user_id: user, view: homeView(reply) }).then(() => undefined),
      });
      if (receiver) await app.start();
      else server = (await app.start({ port: options.port ?? 3000, host: options.host ?? '0.0.0.0' })) as unknown as Server;
    },
    stopReceiving,
    async stop() {
      // Receiving is all there is to stop: the Web API client needs no closing.
      await stopReceiving();
    },
    async post(place: Place, card: Card) {
      const { text, blocks } = renderCard(card);
      try {
        const r = (await client.chat.postMessage({
          channel: place.channel,
          text,
          blocks,
          unfurl_links: false,
          unfurl_media: false,
          link_names: false,
          parse: 'none',
          ...(place.thread ? { thread_ts: place.thread } : {}),
        })) as { ts?: string; channel?: string };
        return { messageId: String(r.ts), place: { ...place, channel: r.channel ?? place.channel } };
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async edit(place: Place, messageId: string, card: Card) {
      const { text, blocks } = renderCard(card);
      try {
        await client.chat.update({ channel: place.channel, ts: messageId, text, blocks, link_names: false, parse: 'none' });
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async openDirect(p: Person) {
      let channel = directs.get(p.id);
      if (!channel) {
        try {
          const r = (await client.conversations.open({ users: p.id })) as { channel?: { id?: string } };
          channel = r.channel?.id;
        } catch (err) {
          throw deliveryError(err);
        }
        if (!channel) throw new Error('slack: conversations.open returned no channel');
        directs.set(p.id, channel);
      }
      return { platform: 'slack', space: p.space, channel };
    },
    async labelThread(place: Place, label: ThreadLabel) {
      // The question is the thread's root message; its reactions say how it stands.
      const timestamp = place.thread;
      if (!timestamp) return;
      const spec = LABEL_REACTIONS[label];
      const ignorable = (err: unknown, code: string) => (err as { data?: { error?: string } })?.data?.error === code;
      for (const name of spec.remove) {
        try {
          await client.reactions.remove({ channel: place.channel, timestamp, name });
        } catch (err) {
          if (!ignorable(err, 'no_reaction')) throw deliveryError(err);
        }
      }
      if (spec.add) {
        try {
          await client.reactions.add({ channel: place.channel, timestamp, name: spec.add });
        } catch (err) {
          if (!ignorable(err, 'already_reacted')) throw deliveryError(err);
        }
      }
    },
    grantGroup(p: Person, group: string) {
      // Slack only replaces a group's whole member list: grants to one group run one at a time here,
      // so two helpers granted together do not overwrite each other.
      const run = (grants.get(group) ?? Promise.resolve()).then(async () => {
        try {
          const current = ((await client.usergroups.users.list({ usergroup: group })) as { users?: string[] }).users ?? [];
          if (current.includes(p.id)) return;
          const users = [...current, p.id];
          await client.usergroups.users.update({ usergroup: group, users: users.join(',') });
          people.grouped(group, users);
        } catch (err) {
          throw deliveryError(err);
        }
      });
      const settled = run.catch(() => undefined);
      grants.set(group, settled);
      void settled.then(() => {
        if (grants.get(group) === settled) grants.delete(group);
      });
      return run;
    },
  };
  return adapter;
}

/** Whether `promise` settled within `ms` (it is left running either way). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
