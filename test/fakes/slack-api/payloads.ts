import type { FakeSlackWebApi } from './web-api.js';
import type { FakeMessage } from './workspace.js';

/**
 * Builders for what Slack sends an app: the same shapes travel over HTTP (signed requests) and
 * Socket Mode (envelopes). Callers give the essentials; the builders fill in what Slack would
 * (team, app id, trigger ids, response_urls, event ids, timestamps).
 */
export type PayloadSource = Pick<FakeSlackWebApi, 'workspace' | 'issueResponseUrl'>;

export interface SlashCommandInput {
  command: string;
  text?: string;
  user_id: string;
  channel_id: string;
  team_id?: string;
  trigger_id?: string;
  response_url?: string;
  channel_name?: string;
  user_name?: string;
}

/** Slash command fields, all strings (HTTP form-encodes them; Socket Mode sends them as JSON). */
export type SlashCommandFields = Record<string, string> & { response_url: string; trigger_id: string };

export function slashCommandFields(src: PayloadSource, input: SlashCommandInput): SlashCommandFields {
  const ws = src.workspace;
  const userName = input.user_name ?? ws.users.get(input.user_id)?.name ?? input.user_id.toLowerCase();
  return {
    token: ws.team.verificationToken,
    team_id: input.team_id ?? ws.team.teamId,
    team_domain: ws.team.teamDomain,
    channel_id: input.channel_id,
    channel_name: input.channel_name ?? (input.channel_id.startsWith('D') ? 'directmessage' : input.channel_id.toLowerCase()),
    user_id: input.user_id,
    user_name: userName,
    command: input.command,
    text: input.text ?? '',
    api_app_id: ws.team.appId,
    is_enterprise_install: 'false',
    response_url: input.response_url ?? src.issueResponseUrl('commands'),
    trigger_id: input.trigger_id ?? ws.issueTrigger(),
  };
}

/** An event as Slack puts it inside `event_callback`; `type` and the event's own fields. */
export interface EventInput {
  type: string;
  [field: string]: unknown;
}

export interface EventOptions {
  eventId?: string;
  /** Epoch seconds; defaults to the fake clock. */
  eventTime?: number;
}

export interface EventCallback {
  body: Record<string, unknown> & { event_id: string; event: Record<string, unknown> };
  eventId: string;
}

/**
 * The Events API `event_callback` body. A `message` event without `ts` is first stored in the
 * fake channel (Slack stores, then notifies), so `conversations.replies` sees it afterwards.
 */
export function eventCallback(src: PayloadSource, input: EventInput, options: EventOptions = {}): EventCallback {
  const ws = src.workspace;
  const event: Record<string, unknown> = { ...input };
  if (input.type === 'message' && typeof input.channel === 'string') {
    event.channel_type ??= channelType(input.channel);
    if (event.ts === undefined && event.subtype === undefined) {
      const stored = ws.addMessage({
        channel: input.channel,
        user: String(input.user ?? ''),
        text: String(input.text ?? ''),
        ...(typeof input.thread_ts === 'string' ? { thread_ts: input.thread_ts } : {}),
      });
      event.ts = stored.ts;
    }
    event.team ??= ws.team.teamId;
  }
  if ((input.type === 'reaction_added' || input.type === 'reaction_removed') && isRecord(input.item) && input.item.type === 'message') {
    // Slack names who wrote the reacted message (when a user did), and stamps the event.
    const stored = ws.messagesIn(String(input.item.channel)).find((m) => m.ts === (input.item as Record<string, unknown>).ts);
    if (event.item_user === undefined && stored?.user && !stored.bot_id) event.item_user = stored.user;
  }
  if (input.type === 'app_home_opened' && typeof input.user === 'string') {
    event.channel ??= ws.dmWith(input.user);
    event.tab ??= 'home';
  }
  event.event_ts ??= typeof event.ts === 'string' ? event.ts : ws.nextTs();
  const eventId = options.eventId ?? ws.nextEventId();
  const body = {
    token: ws.team.verificationToken,
    team_id: ws.team.teamId,
    api_app_id: ws.team.appId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: options.eventTime ?? Math.floor(ws.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: ws.team.teamId, user_id: ws.team.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
  return { body, eventId };
}

/** A user's edit of a stored message: new text, or only attachments (Slack unfurling a link in it). */
export interface MessageEditInput {
  channel: string;
  ts: string;
  text?: string;
  attachments?: unknown;
  /** Who edited (`edited.user`); default the author. */
  by?: string;
}

/**
 * Someone edits a stored message: the fake's copy changes, and this is the `message_changed` event
 * Slack then sends: hidden, stamped with the edit's ts, carrying the message as it now is and as it
 * was (`previous_message`), neither with a channel. Send it with `sender.event(...)` or
 * `socket.event(...)`; an unfurl (attachments alone) has no `edited` and the same text as before.
 */
export function messageChanged(src: PayloadSource, input: MessageEditInput): EventInput {
  const { previous, message } = src.workspace.editMessage(input.channel, input.ts, input);
  const ts = message.edited?.ts ?? src.workspace.nextTs();
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: input.channel,
    ts,
    message: asInEvent(message),
    previous_message: asInEvent(previous),
  };
}

/**
 * Someone deletes a stored message, and the event Slack then sends. Usually `message_deleted`
 * (hidden, its own ts, `deleted_ts` naming the message, `previous_message` as it was); but a thread
 * root with replies is not removed: it turns into a tombstone, announced as a `message_changed`
 * whose `message` has subtype `tombstone`.
 */
export function messageDeleted(src: PayloadSource, input: { channel: string; ts: string }): EventInput {
  const { previous, tombstone } = src.workspace.deleteMessage(input.channel, input.ts);
  const ts = src.workspace.nextTs();
  if (tombstone)
    return {
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: input.channel,
      ts,
      message: asInEvent(tombstone),
      previous_message: asInEvent(previous),
    };
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: input.channel,
    ts,
    deleted_ts: input.ts,
    previous_message: asInEvent(previous),
  };
}

/** A message as a message event nests it: without its channel (the event names it). */
function asInEvent(message: FakeMessage): Record<string, unknown> {
  const { channel: _channel, ...rest } = message;
  return rest;
}

/** An interactivity payload; `user` may be just an id. Other fields are passed through as given. */
export interface InteractionInput {
  type: 'block_actions' | 'view_submission' | 'view_closed' | 'shortcut' | 'message_action' | 'block_suggestion';
  user: string | { id: string; [field: string]: unknown };
  [field: string]: unknown;
}

export interface Interaction {
  payload: Record<string, unknown>;
  triggerId?: string;
  responseUrl?: string;
}

export function interactionPayload(src: PayloadSource, input: InteractionInput): Interaction {
  const ws = src.workspace;
  const { user: userInput, ...rest } = input;
  const userId = typeof userInput === 'string' ? userInput : userInput.id;
  const name = ws.users.get(userId)?.name ?? userId.toLowerCase();
  const payload: Record<string, unknown> = {
    team: { id: ws.team.teamId, domain: ws.team.teamDomain },
    user: { id: userId, username: name, name, team_id: ws.team.teamId, ...(typeof userInput === 'string' ? {} : userInput) },
    api_app_id: ws.team.appId,
    token: ws.team.verificationToken,
    is_enterprise_install: false,
    enterprise: null,
    ...rest,
  };
  if (typeof payload.channel === 'string') payload.channel = { id: payload.channel, name: payload.channel.toLowerCase() };
  if (input.type === 'message_action' && payload.message === undefined && isRecord(payload.channel) && typeof payload.message_ts === 'string') {
    // A message shortcut carries the message as Slack shows it (without its channel).
    const stored = ws.messagesIn(String(payload.channel.id)).find((m) => m.ts === payload.message_ts);
    if (stored) {
      const { channel: _channel, ...shown } = stored;
      payload.message = shown;
    }
  }
  if (input.type === 'message_action' && isRecord(payload.message)) payload.message_ts ??= payload.message.ts;
  const needsTrigger = input.type !== 'view_closed' && input.type !== 'block_suggestion';
  if (needsTrigger) payload.trigger_id ??= ws.issueTrigger();
  if (input.type === 'view_submission' || input.type === 'view_closed') {
    payload.view = viewFor(src, input.view);
    if (input.type === 'view_submission') payload.response_urls ??= [];
  }
  // Slack gives a response_url to actions on messages and to message shortcuts, not to modal actions.
  const onMessage = input.type === 'message_action' || (input.type === 'block_actions' && payload.message !== undefined);
  if (onMessage) payload.response_url ??= src.issueResponseUrl('actions');
  if (input.type === 'shortcut' || input.type === 'message_action') payload.action_ts ??= ws.nextTs();
  if (input.type === 'block_actions') payload.actions ??= [];
  return {
    payload,
    ...(typeof payload.trigger_id === 'string' ? { triggerId: payload.trigger_id } : {}),
    ...(typeof payload.response_url === 'string' ? { responseUrl: payload.response_url } : {}),
  };
}

/** A submitted view: the stored one when its id is known (from `views.open`), merged with what is given. */
function viewFor(src: PayloadSource, given: unknown): Record<string, unknown> {
  const ws = src.workspace;
  const input = typeof given === 'object' && given !== null ? (given as Record<string, unknown>) : {};
  const stored = typeof input.id === 'string' ? ws.views.get(input.id) : undefined;
  const id = stored?.id ?? ws.mintId('V');
  return {
    type: 'modal',
    team_id: ws.team.teamId,
    app_id: ws.team.appId,
    bot_id: ws.team.botId,
    callback_id: '',
    private_metadata: '',
    hash: `${Math.floor(ws.now() / 1000)}.fake`,
    root_view_id: id,
    previous_view_id: null,
    ...stored,
    state: { values: {} },
    ...input,
    id,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function channelType(channel: string): string {
  if (channel.startsWith('D')) return 'im';
  if (channel.startsWith('G')) return 'group';
  return 'channel';
}
