import type { AddressInfo, Server } from 'node:net';
import { SlackHttpSender } from './http-sender.js';
import { FakeSocketMode } from './socket-mode.js';
import { FakeSlackWebApi } from './web-api.js';
import { Workspace, type FakeUserSeed, type TeamIdentity } from './workspace.js';

export type { BoltHttpResponse, EventSendOptions, SendOptions } from './http-sender.js';
export type { EventInput, InteractionInput, MessageEditInput, SlashCommandInput } from './payloads.js';
export { messageChanged, messageDeleted } from './payloads.js';
export type { SigningOverrides } from './signing.js';
export { slackSignature } from './signing.js';
export type { SocketAck, SocketConnection } from './socket-mode.js';
export type { Fault, RecordedCall, RecordedResponse } from './web-api.js';
export type { FakeMessage, FakeUser, FakeUserSeed, TeamIdentity } from './workspace.js';
export { SLACKBOT } from './workspace.js';
export { FakeSlackWebApi, FakeSocketMode, SlackHttpSender };
export { FULL_BOT_SCOPES } from './web-api.js';

export interface FakeSlackOptions {
  /** The only bot token the Web API accepts (`Authorization: Bearer …`); others get `invalid_auth`. */
  botToken: string;
  /** The secret requests from `sender()` are signed with; give Bolt the same one. */
  signingSecret: string;
  /** The app-level token (`xapp-…`) `apps.connections.open` accepts, for Socket Mode. */
  appToken?: string;
  users?: FakeUserSeed[];
  /** Usergroup id (S…) → member user ids, for `usergroups.users.list`. */
  usergroups?: Record<string, string[]>;
  team?: Partial<TeamIdentity>;
  /** The bot token's granted scopes (`x-oauth-scopes`); default every scope tierdesk's manifest asks for. */
  scopes?: readonly string[];
  /** Sign in with Slack's client id and secret (`web.openId.consentAs(user)` picks who signs in). */
  openId?: { clientId: string; clientSecret: string };
  /**
   * The fake's clock (epoch ms): message ts, trigger expiry (3 s), response_url expiry, recorded
   * times. Give it the test's fake clock. Request signatures use `Date.now()`, which Bolt checks.
   */
  now?: () => number;
}

/** WebClient options for tests (and, for tierdesk's adapter, the retry half of them in production too). */
export interface FakeClientOptions {
  slackApiUrl: string;
  rejectRateLimitedCalls: true;
  retryConfig: { retries: 0 };
}

export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/`: WebClient's `slackApiUrl`. */
  apiUrl: string;
  web: FakeSlackWebApi;
  socket: FakeSocketMode;
  /** The workspace's ids (team, bot user, bot id, app id). */
  ids: TeamIdentity;
  /** Signed requests to a Bolt HTTP endpoint, e.g. `sender(boltEventsUrl(server))`. */
  sender(boltUrl: string): SlackHttpSender;
  /** A fresh options object each call: Bolt and the SocketModeClient mutate the one they are given. */
  clientOptions(): FakeClientOptions;
  /** Closes the servers, drops Socket Mode connections, rejects waiters that never matched. */
  stop(): Promise<void>;
}

/**
 * A local Slack that speaks Slack's wire protocols, for running the real `@slack/bolt` App and
 * `WebClient` against it over loopback. Start it before constructing the App: Bolt calls
 * `auth.test` in its constructor.
 *
 * ```ts
 * const slack = await startFakeSlack({ botToken: 'xoxb-1', signingSecret: 's3cret', appToken: 'xapp-1' });
 * // HTTP mode: Bolt's own HTTPReceiver on an ephemeral loopback port.
 * const app = new App({ token: 'xoxb-1', signingSecret: 's3cret', clientOptions: slack.clientOptions() });
 * const server = await app.start({ port: 0, host: '127.0.0.1' });
 * const sent = await slack.sender(boltEventsUrl(server)).slashCommand({ command: '/ticket', text: 'printer', user_id: 'U1', channel_id: 'C1' });
 * await slack.web.waitForCall('chat.postMessage');
 * // Socket Mode: `apps.connections.open` returns a ws:// URL on loopback.
 * const receiver = new SocketModeReceiver({ appToken: 'xapp-1', installerOptions: { clientOptions: { slackApiUrl: slack.apiUrl } } });
 * const sm = new App({ token: 'xoxb-1', receiver, clientOptions: slack.clientOptions() });
 * await sm.start();                                      // resolves after the fake's `hello`
 * const ack = await slack.socket.slashCommand({ command: '/ticket', user_id: 'U1', channel_id: 'C1' });
 * await app.stop(); await sm.stop(); await slack.stop();
 * ```
 *
 * Client options (`clientOptions()`): `slackApiUrl` points at the fake. `rejectRateLimitedCalls: true`
 * and `retryConfig: { retries: 0 }` make WebClient fail fast instead of sleeping: by default it sleeps
 * `Retry-After` seconds on a 429 and then backs off ~1–2 s more (p-retry), and retries 5xx with the
 * same back-off, all on real timers. With these options a 429 rejects at once with
 * `WebAPIRateLimitedError` (`code: 'slack_webapi_rate_limited_error'`, `retryAfter` in seconds), a 5xx
 * with `WebAPIHTTPError` (`statusCode`), a Slack error with `WebAPIPlatformError` (`data.error`):
 * exactly what tierdesk's outbox dispatcher needs to own retries and Retry-After itself.
 *
 * Socket Mode: `apps.connections.open` returns `ws://127.0.0.1:…` and the SDK (undici WebSocket) takes
 * it as is. Prefer an explicit `new SocketModeReceiver({ appToken, clientPingTimeout, installerOptions:
 * { clientOptions: { slackApiUrl } } })` passed as `receiver`: the built-in one shares the App's
 * clientOptions with its SocketModeClient, which (a) writes `retryConfig: { retries: 100 }` into that
 * object when it has none, so every listener `client` inherits 100 retries, and (b) with
 * `retries: 0` turns a single 5xx from `apps.connections.open` during a reconnect into an unhandled
 * rejection and a dead socket. The client waits `clientPingTimeout` (5 s default) before reconnecting.
 * First deliveries carry `retry_attempt: 0`, so `context.retryNum` is 0 in Socket Mode but undefined
 * over HTTP. Stop the App before the fake, or its reconnect attempt fails unhandled.
 *
 * Nothing here sleeps. Waiters (`web.waitForCall`, `web.waitForResponse`, `socket.waitForConnection`)
 * see past and future events and are rejected by `stop()` if they never matched.
 */
export async function startFakeSlack(options: FakeSlackOptions): Promise<FakeSlack> {
  const workspace = new Workspace({
    ...(options.users ? { users: options.users } : {}),
    ...(options.usergroups ? { usergroups: options.usergroups } : {}),
    ...(options.team ? { team: options.team } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const web = await FakeSlackWebApi.start({
    botToken: options.botToken,
    ...(options.appToken ? { appToken: options.appToken } : {}),
    workspace,
    ...(options.scopes ? { scopes: options.scopes } : {}),
    ...(options.openId ? { openId: options.openId } : {}),
    // Called only when apps.connections.open arrives, by which time `socket` exists.
    socketUrl: () => socket.issueUrl(),
  });
  const socket = await FakeSocketMode.start(web);
  return {
    apiUrl: web.apiUrl,
    web,
    socket,
    ids: workspace.team,
    sender: (boltUrl) => new SlackHttpSender(boltUrl, options.signingSecret, web),
    clientOptions: () => ({ slackApiUrl: web.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } }),
    stop: async () => {
      await Promise.all([socket.stop(), web.stop()]);
    },
  };
}

/** The request URL of a Bolt HTTPReceiver started with `app.start({ port: 0, host: '127.0.0.1' })`. */
export function boltEventsUrl(server: Server, path = '/slack/events'): string {
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}${path}`;
}
