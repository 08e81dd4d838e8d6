import { App, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { boltEventsUrl, startFakeSlack, type FakeSlack } from './slack-api/index.js';

// The real @slack/bolt App and WebClient, against the fake over loopback. No sleeps in here:
// every wait is on a request, an ack or a connection arriving.

const BOT = 'xoxb-0000-fake-bot-token';
const SECRET = 'fake-signing-secret';
const APP_TOKEN = 'xapp-1-A0FAKEAPP-fake-app-token';
const ALICE = { id: 'U0ALICE01', name: 'alice', real_name: 'Alice Liddell', tz: 'Europe/Berlin' };
const HELPDESK = 'C0HELPDESK';
const TICKET = { command: '/ticket', text: 'printer on fire', user_id: ALICE.id, channel_id: HELPDESK };

let slack: FakeSlack;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  slack = await startFakeSlack({ botToken: BOT, signingSecret: SECRET, appToken: APP_TOKEN, users: [ALICE] });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await slack.stop();
});

/** A Bolt App on its own HTTPReceiver, bound to an ephemeral loopback port. */
async function httpApp(listen: (app: App) => void) {
  const app = new App({ token: BOT, signingSecret: SECRET, logLevel: LogLevel.ERROR, clientOptions: slack.clientOptions() });
  listen(app);
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => app.stop());
  return slack.sender(boltEventsUrl(server));
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Bolt over HTTP', () => {
  it('acks a signed slash command whose listener posts, reacts and responds through the fake', async () => {
    const send = await httpApp((app) =>
      app.command('/ticket', async ({ command, ack, client, respond }) => {
        await ack();
        const posted = await client.chat.postMessage({ channel: command.channel_id, text: `New ticket: ${command.text}` });
        await client.reactions.add({ channel: HELPDESK, timestamp: posted.ts ?? '', name: 'ticket' });
        await respond({ response_type: 'ephemeral', text: `Opened ${posted.ts}` });
      }),
    );

    const sent = await send.slashCommand(TICKET);
    const reply = await slack.web.waitForResponse(sent.responseUrl);

    expect(sent.status).toBe(200);
    expect(sent.body).toBe('');
    const [message] = slack.web.messagesIn(HELPDESK);
    expect(message).toMatchObject({ text: 'New ticket: printer on fire', user: slack.ids.botUserId, reactions: [{ name: 'ticket', count: 1 }] });
    expect(reply.body).toEqual({ response_type: 'ephemeral', text: `Opened ${message?.ts}` });
    const [post] = slack.web.calls('chat.postMessage');
    expect(post).toMatchObject({ token: BOT, status: 200, args: { channel: HELPDESK, team_id: slack.ids.teamId } });
  });

  it('answers 401 to a bad signature, a stale timestamp or none, before any listener runs', async () => {
    const ran: string[] = [];
    const send = await httpApp((app) => app.command('/ticket', async ({ ack }) => void ran.push(String(await ack()))));
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;

    expect((await send.slashCommand(TICKET, { signing: { secret: 'not-the-secret' } })).status).toBe(401);
    expect((await send.slashCommand(TICKET, { signing: { timestampSec: sixMinutesAgo } })).status).toBe(401);
    expect((await send.slashCommand(TICKET, { signing: { unsigned: true } })).status).toBe(401);
    expect(ran).toEqual([]);
    expect((await send.urlVerification('abc')).json).toEqual({ challenge: 'abc' });
  });

  it('opens a modal with the command trigger and returns response_action errors for its submission', async () => {
    const send = await httpApp((app) => {
      app.command('/ticket', async ({ ack, body, client }) => {
        await ack();
        const title = { type: 'plain_text' as const, text: 'New ticket' };
        await client.views.open({ trigger_id: body.trigger_id, view: { type: 'modal', callback_id: 'new_ticket', title, blocks: [] } });
      });
      app.view('new_ticket', async ({ ack }) => ack({ response_action: 'errors', errors: { title: 'Say a bit more' } }));
    });

    const sent = await send.slashCommand(TICKET);
    const opened = await slack.web.waitForCall('views.open');
    const viewId = (opened.response as { view: { id: string } }).view.id;
    const submitted = await send.interaction({ type: 'view_submission', user: ALICE.id, view: { id: viewId } });

    expect(opened.args.trigger_id).toBe(sent.triggerId);
    expect(submitted.status).toBe(200);
    expect(submitted.json).toEqual({ response_action: 'errors', errors: { title: 'Say a bit more' } });
  });

  it('acks a button click and lets respond() replace the original message', async () => {
    const send = await httpApp((app) =>
      app.action('claim', async ({ ack, respond }) => {
        await ack();
        await respond({ replace_original: true, text: 'Claimed by alice' });
      }),
    );
    const message = { type: 'message', ts: '1717405200.000100', text: 'Ticket #42' };
    const action = { type: 'button', action_id: 'claim', block_id: 'b1', value: '42', action_ts: '1717405201.000000' };

    const clicked = await send.interaction({ type: 'block_actions', user: ALICE.id, channel: HELPDESK, message, actions: [action] });

    expect(clicked.status).toBe(200);
    expect((await slack.web.waitForResponse(clicked.responseUrl)).body).toEqual({ replace_original: true, text: 'Claimed by alice' });
  });
});

describe('Events API over HTTP', () => {
  it('shows a retry (x-slack-retry-num) as context.retryNum, with the same event_id', async () => {
    const seen: { eventId: unknown; retryNum?: number; retryReason?: string }[] = [];
    const both = deferred<void>();
    const send = await httpApp((app) =>
      app.event('reaction_added', async ({ body, context }) => {
        seen.push({ eventId: body.event_id, retryNum: context.retryNum, retryReason: context.retryReason });
        if (seen.length === 2) both.resolve();
      }),
    );
    const reaction = {
      type: 'reaction_added',
      user: ALICE.id,
      reaction: 'eyes',
      item: { type: 'message', channel: HELPDESK, ts: '1717405200.000100' },
    };

    const first = await send.event(reaction);
    const retry = await send.event(reaction, { eventId: first.eventId, retryNum: 1, retryReason: 'http_timeout' });
    await both.promise;

    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(seen).toEqual([
      { eventId: first.eventId, retryNum: undefined, retryReason: undefined },
      { eventId: first.eventId, retryNum: 1, retryReason: 'http_timeout' },
    ]);
  });

  it('stores a user message before notifying, so the app can read the thread back', async () => {
    const thread = deferred<unknown[]>();
    const send = await httpApp((app) =>
      app.message(async ({ message, client }) => {
        if (message.subtype !== undefined || message.thread_ts === undefined) return;
        const replies = await client.conversations.replies({ channel: message.channel, ts: message.thread_ts });
        thread.resolve((replies.messages ?? []).map((m) => m.text));
      }),
    );
    const root = slack.web.workspace.addMessage({ channel: HELPDESK, user: slack.ids.botUserId, text: 'Ticket #42' });

    await send.event({ type: 'message', channel: HELPDESK, user: ALICE.id, text: 'still broken', thread_ts: root.ts });

    expect(await thread.promise).toEqual(['Ticket #42', 'still broken']);
  });
});

describe('Bolt in Socket Mode', () => {
  it('connects through apps.connections.open, acks events and returns a slash command ack payload', async () => {
    const app = new App({ token: BOT, appToken: APP_TOKEN, socketMode: true, logLevel: LogLevel.ERROR, clientOptions: slack.clientOptions() });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [] } });
    });
    app.command('/ticket', async ({ ack, command }) => ack({ response_type: 'ephemeral', text: `Got: ${command.text}` }));
    await app.start(); // resolves on the fake's `hello`
    cleanups.push(() => app.stop());

    const eventAck = await slack.socket.event({ type: 'app_home_opened', user: ALICE.id });
    const published = await slack.web.waitForCall('views.publish');
    const commandAck = await slack.socket.slashCommand(TICKET);

    expect(slack.socket.openConnections).toBe(1);
    expect(slack.web.calls('apps.connections.open')[0]).toMatchObject({ token: APP_TOKEN, status: 200 });
    expect(eventAck.payload ?? {}).toEqual({});
    expect(published).toMatchObject({ token: BOT, args: { user_id: ALICE.id } });
    expect(commandAck.payload).toEqual({ response_type: 'ephemeral', text: 'Got: printer on fire' });
  });

  it('reconnects with a fresh ticket after a disconnect message', async () => {
    // The recommended Socket Mode setup: an explicit receiver whose client keeps the SDK's own retries
    // for apps.connections.open (retries: 0 there turns one 5xx during a reconnect into a dead socket),
    // and a shorter clientPingTimeout: the client waits that long (5 s by default) before reconnecting.
    const receiver = new SocketModeReceiver({
      appToken: APP_TOKEN,
      logLevel: LogLevel.ERROR,
      clientPingTimeout: 300,
      installerOptions: { clientOptions: { slackApiUrl: slack.apiUrl } },
    });
    const app = new App({ token: BOT, receiver, logLevel: LogLevel.ERROR, clientOptions: slack.clientOptions() });
    app.event('app_home_opened', async () => {});
    await app.start();
    cleanups.push(() => app.stop());

    await slack.socket.disconnect('refresh_requested');
    await slack.socket.waitForConnection(2);
    const ack = await slack.socket.event({ type: 'app_home_opened', user: ALICE.id });

    expect(ack.connection).toBe(2);
    expect(slack.web.calls('apps.connections.open')).toHaveLength(2);
  });

  it('refuses a WebSocket whose ticket was not issued by apps.connections.open', async () => {
    const forged = slack.socket.issueUrl().replace(/ticket=\w+/, 'ticket=forged');
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(forged);
      ws.on('error', (error) => resolve(error.message));
      ws.on('open', () => resolve('accepted'));
    });
    expect(refused).toBe('Unexpected server response: 401');
  });
});

describe('WebClient against injected faults', () => {
  it('by default sleeps Retry-After itself on a 429 (real time), then retries and succeeds', async () => {
    const client = new webApi.WebClient(BOT, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
    slack.web.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = performance.now();

    const result = await client.chat.postMessage({ channel: HELPDESK, text: 'hello' });

    expect(result.ok).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(slack.web.calls('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
  });

  it('with the recommended options rejects at once with typed errors for 429, 5xx and Slack errors', async () => {
    const client = new webApi.WebClient(BOT, { ...slack.clientOptions(), logLevel: LogLevel.ERROR });
    const post = () => client.chat.postMessage({ channel: HELPDESK, text: 'hello' });
    slack.web.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
    slack.web.failNext('chat.postMessage', { status: 503 });
    slack.web.failNext('chat.postMessage', { error: 'channel_not_found' });
    const started = performance.now();

    await expect(post()).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 30 });
    await expect(post()).rejects.toMatchObject({ code: webApi.ErrorCode.HTTPError, statusCode: 503 });
    await expect(post()).rejects.toMatchObject({ code: webApi.ErrorCode.PlatformError, data: { error: 'channel_not_found' } });
    await expect(post()).resolves.toMatchObject({ ok: true, channel: HELPDESK });

    expect(performance.now() - started).toBeLessThan(5000); // a sleeping client would take 30 s
    expect(slack.web.calls('chat.postMessage').map((c) => c.status)).toEqual([429, 503, 200, 200]);
  });

  it('checks the token: a wrong one is invalid_auth, the app token not_allowed_token_type', async () => {
    const wrong = new webApi.WebClient('xoxb-wrong', { ...slack.clientOptions(), logLevel: LogLevel.ERROR });
    const appLevel = new webApi.WebClient(APP_TOKEN, { ...slack.clientOptions(), logLevel: LogLevel.ERROR });

    await expect(wrong.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await expect(appLevel.chat.postMessage({ channel: HELPDESK, text: 'x' })).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
  });

  it('refuses a method whose scope the token was not granted, as Slack does (missing_scope, needed, provided)', async () => {
    slack.web.scopes = slack.web.scopes.filter((s) => s !== 'usergroups:write' && s !== 'channels:history');
    const client = new webApi.WebClient(BOT, { ...slack.clientOptions(), logLevel: LogLevel.ERROR });

    await expect(client.usergroups.users.update({ usergroup: 'S0DESK', users: 'U0ALICE01' })).rejects.toMatchObject({
      data: { error: 'missing_scope', needed: 'usergroups:write' },
    });
    await expect(client.conversations.info({ channel: HELPDESK })).rejects.toMatchObject({
      data: { error: 'missing_scope', needed: 'channels:read' },
    });
    await expect(client.conversations.history({ channel: HELPDESK })).rejects.toMatchObject({
      data: { error: 'missing_scope', needed: 'channels:history' },
    });
    slack.web.workspace.removeBot('G0SECRET'); // groups:history granted, but a bot reads only where it is
    await expect(client.conversations.history({ channel: 'G0SECRET' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    expect((await client.chat.postMessage({ channel: HELPDESK, text: 'still allowed' })).ok).toBe(true);
  });
});

describe('the fake workspace', () => {
  it('runs on a given clock: increasing ts while it stands still, trigger ids expiring after 3 s', async () => {
    const clock = { ms: Date.UTC(2024, 5, 3, 9, 0, 0) };
    const local = await startFakeSlack({
      botToken: BOT,
      signingSecret: SECRET,
      users: [ALICE],
      usergroups: { S0TIER1: [ALICE.id] },
      now: () => clock.ms,
    });
    cleanups.push(() => local.stop());
    const client = new webApi.WebClient(BOT, { ...local.clientOptions(), logLevel: LogLevel.ERROR });
    const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Ticket' }, blocks: [] };

    const posted = [];
    for (const text of ['one', 'two', 'three']) posted.push((await client.chat.postMessage({ channel: ALICE.id, text })).ts);
    const fresh = local.web.workspace.issueTrigger();
    const stale = local.web.workspace.issueTrigger();
    await client.views.open({ trigger_id: fresh, view: modal });
    clock.ms += 3_001;

    expect(posted).toEqual(['1717405200.000000', '1717405200.000100', '1717405200.000200']);
    await expect(client.views.open({ trigger_id: stale, view: modal })).rejects.toMatchObject({ data: { error: 'expired_trigger_id' } });
    const dm = (await client.conversations.open({ users: ALICE.id })).channel?.id;
    expect(local.web.messagesIn(dm ?? '').map((m) => m.text)).toEqual(['one', 'two', 'three']);
    expect((await client.users.info({ user: ALICE.id })).user).toMatchObject({ real_name: 'Alice Liddell', tz: 'Europe/Berlin', tz_offset: 7200 });
    expect((await client.usergroups.users.list({ usergroup: 'S0TIER1' })).users).toEqual([ALICE.id]);
    // usergroups.users.update replaces the members and cannot empty the group: '' and '[]' are refused.
    await expect(client.usergroups.users.update({ usergroup: 'S0TIER1', users: '' })).rejects.toMatchObject({ data: { error: 'no_users_provided' } });
    await expect(client.usergroups.users.update({ usergroup: 'S0TIER1', users: '[]' })).rejects.toMatchObject({ data: { error: 'invalid_users' } });
    // Disabled, a group leaves usergroups.list unless include_disabled, with date_delete set; enable brings it back.
    await client.usergroups.disable({ usergroup: 'S0TIER1' });
    expect((await client.usergroups.list({})).usergroups?.map((g) => g.id)).toEqual([]);
    expect((await client.usergroups.list({ include_disabled: true })).usergroups?.[0]?.date_delete).toBeGreaterThan(0);
    await client.usergroups.enable({ usergroup: 'S0TIER1' });
    expect((await client.usergroups.list({})).usergroups?.map((g) => g.id)).toEqual(['S0TIER1']);
    await client.usergroups.users.update({ usergroup: 'S0TIER1', users: ALICE.id });
    expect((await client.usergroups.users.list({ usergroup: 'S0TIER1' })).users).toEqual([ALICE.id]);
    await expect(client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });
});
