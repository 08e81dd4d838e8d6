import { randomBytes } from 'node:crypto';
import { SlackApiError, type FakeMessage, type FakeView, type Workspace } from './workspace.js';

/** Arguments of a Web API call, after form/JSON decoding (JSON-valued fields like `blocks` parsed). */
export type ApiArgs = Record<string, unknown>;

/** Answers one Web API method; returns the body without `ok`, or throws `SlackApiError`. */
export type MethodHandler = (ws: Workspace, args: ApiArgs) => Record<string, unknown>;

const MAX_TEXT = 40_000;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Slack wants text, blocks or attachments; `text` alone is limited to 40k characters. */
function messageContent(args: ApiArgs): Pick<FakeMessage, 'text' | 'blocks' | 'attachments' | 'metadata'> {
  const text = typeof args.text === 'string' ? args.text : '';
  if (args.blocks !== undefined && !Array.isArray(args.blocks)) throw new SlackApiError('invalid_blocks');
  if (text === '' && args.blocks === undefined && args.attachments === undefined) throw new SlackApiError('no_text');
  if (text.length > MAX_TEXT) throw new SlackApiError('msg_too_long');
  if (Array.isArray(args.blocks)) checkBlocks(args.blocks);
  return {
    text,
    ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
    ...(args.attachments !== undefined ? { attachments: args.attachments } : {}),
    ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
  };
}

/**
 * Slack refuses blocks whose interactive elements repeat an `action_id` within one block
 * (`invalid_blocks`, with the reason in `response_metadata.messages`).
 */
function checkBlocks(blocks: unknown[]): void {
  blocks.forEach((block, i) => {
    const elements = (block as { elements?: Array<{ action_id?: unknown }> } | null)?.elements;
    if (!Array.isArray(elements)) return;
    const seen = new Set<string>();
    for (const e of elements) {
      if (typeof e?.action_id !== 'string') continue;
      if (seen.has(e.action_id)) {
        throw new SlackApiError('invalid_blocks', {
          response_metadata: {
            messages: [`[ERROR] action_id \"${e.action_id}\" is already used in block ${i} [json-pointer:/blocks/${i}/elements]`],
          },
        });
      }
      seen.add(e.action_id);
    }
  });
}

function withoutChannel(message: FakeMessage): Omit<FakeMessage, 'channel'> {
  const { channel: _channel, ...rest } = message;
  return rest;
}

function newHash(ws: Workspace): string {
  return `${Math.floor(ws.now() / 1000)}.${randomBytes(6).toString('hex')}`;
}

function viewArg(args: ApiArgs, type: string): Record<string, unknown> {
  const view = args.view;
  if (typeof view !== 'object' || view === null || Array.isArray(view)) throw new SlackApiError('invalid_arguments');
  if ((view as { type?: unknown }).type !== type) throw new SlackApiError('invalid_arguments');
  return view as Record<string, unknown>;
}

function storeView(ws: Workspace, view: Record<string, unknown>, previous?: FakeView): FakeView {
  const id = previous?.id ?? ws.mintId('V');
  const stored: FakeView = {
    private_metadata: '',
    callback_id: '',
    external_id: '',
    ...view,
    id,
    type: String(view.type),
    team_id: ws.team.teamId,
    app_id: ws.team.appId,
    bot_id: ws.team.botId,
    app_installed_team_id: ws.team.teamId,
    state: { values: {} },
    hash: newHash(ws),
    root_view_id: previous?.root_view_id ?? id,
    previous_view_id: null,
  };
  ws.views.set(id, stored);
  return stored;
}

function findView(ws: Workspace, args: ApiArgs): FakeView {
  const byId = str(args.view_id);
  const byExternal = str(args.external_id);
  const view = byId ? ws.views.get(byId) : [...ws.views.values()].find((v) => byExternal !== undefined && v.external_id === byExternal);
  if (!view) throw new SlackApiError('not_found');
  const hash = str(args.hash);
  if (hash !== undefined && hash !== view.hash) throw new SlackApiError('hash_conflict');
  return view;
}

/** `latest` / `oldest` bounds (exclusive unless `inclusive`), as conversations.history and .replies take them. */
function inRange(args: ApiArgs): (m: FakeMessage) => boolean {
  const latest = Number(args.latest ?? Infinity);
  const oldest = Number(args.oldest ?? 0);
  const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1' || args.inclusive === 1;
  return (m) => {
    const ts = Number(m.ts);
    return inclusive ? ts <= latest && ts >= oldest : ts < latest && ts > oldest;
  };
}

function isThreadRoot(m: FakeMessage): boolean {
  return m.thread_ts === undefined || m.thread_ts === m.ts;
}

/** The Web API methods tierdesk uses, keyed by method name. `apps.connections.open` lives in web-api.ts. */
export const METHODS: Record<string, MethodHandler> = {
  'auth.test': (ws) => ({
    url: `https://${ws.team.teamDomain}.slack.com/`,
    team: ws.team.teamName,
    user: ws.user(ws.team.botUserId).name,
    team_id: ws.team.teamId,
    user_id: ws.team.botUserId,
    bot_id: ws.team.botId,
    is_enterprise_install: false,
  }),

  'chat.postMessage': (ws, args) => {
    const channel = ws.resolveChannel(args.channel);
    const threadTs = str(args.thread_ts);
    const message = ws.addMessage({
      channel,
      user: ws.team.botUserId,
      bot_id: ws.team.botId,
      app_id: ws.team.appId,
      ...messageContent(args),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return { channel, ts: message.ts, message: withoutChannel(message) };
  },

  'chat.update': (ws, args) => {
    const channel = ws.resolveChannel(args.channel);
    const message = ws.findMessage(channel, args.ts);
    if (message.user !== ws.team.botUserId) throw new SlackApiError('cant_update_message');
    Object.assign(message, messageContent(args), { edited: { user: ws.team.botUserId, ts: ws.nextTs() } });
    return { channel, ts: message.ts, text: message.text, message: withoutChannel(message) };
  },

  'chat.postEphemeral': (ws, args) => {
    const channel = ws.resolveChannel(args.channel);
    ws.user(args.user);
    // Slack shows an ephemeral message only where the bot is: a DM between people is not found at
    // all, a channel it was never invited to is `not_in_channel`.
    if (!ws.isBotIn(channel)) throw new SlackApiError(channel.startsWith('D') ? 'channel_not_found' : 'not_in_channel');
    messageContent(args);
    return { message_ts: ws.nextTs() };
  },

  'chat.getPermalink': (ws, args) => {
    const channel = ws.resolveChannel(args.channel);
    const message = ws.findMessage(channel, args.message_ts);
    const base = `https://${ws.team.teamDomain}.slack.com/archives/${channel}/p${message.ts.replace('.', '')}`;
    const thread = isThreadRoot(message) ? '' : `?thread_ts=${message.thread_ts}&cid=${channel}`;
    return { channel, permalink: base + thread };
  },

  'conversations.open': (ws, args) => {
    const users = (str(args.users) ?? '').split(',').filter(Boolean);
    if (users.length === 0) throw new SlackApiError('users_list_not_supplied');
    return { channel: { id: ws.conversationWith(users) } };
  },

  'conversations.history': (ws, args) => {
    const channel = ws.resolveChannel(args.channel);
    // A bot token reads only conversations the bot is in; a private one it is not in does not exist for it.
    if (!ws.isBotIn(channel)) throw new SlackApiError(channel.startsWith('G') ? 'channel_not_found' : 'not_in_channel');
    const within = inRange(args);
    const limit = Number(args.limit ?? 100);
    // Newest first; thread replies are not channel history (broadcasts aside).
    const found = ws
      .messagesIn(channel)
      .filter((m) => isThreadRoot(m) && within(m))
      .reverse();
    return {
      messages: found.slice(0, limit).map(withoutChannel),
      has_more: found.length > limit,
      pin_count: 0,
      response_metadata: { next_cursor: '' },
    };
  },

  'conversations.replies': (ws, args) => {
    const channel = ws.resolveChannel(args.channel);
    const asked = ws.messagesIn(channel).find((m) => m.ts === args.ts);
    if (!asked) throw new SlackApiError('thread_not_found');
    // As Slack does: the ts of a thread's parent gives the parent and its replies, oldest first (the
    // parent always first, whatever the range); the ts of a reply gives that reply alone.
    if (!isThreadRoot(asked)) return { messages: [withoutChannel(asked)], has_more: false, response_metadata: { next_cursor: '' } };
    const within = inRange(args);
    const limit = Number(args.limit ?? 1000);
    const replies = ws.messagesIn(channel).filter((m) => m !== asked && m.thread_ts === asked.ts && within(m));
    const thread = [asked, ...replies];
    return {
      messages: thread.slice(0, Math.max(1, limit)).map(withoutChannel),
      has_more: thread.length > Math.max(1, limit),
      response_metadata: { next_cursor: '' },
    };
  },

  'views.open': (ws, args) => {
    ws.useTrigger(args.trigger_id);
    return { view: storeView(ws, viewArg(args, 'modal')) };
  },

  'views.update': (ws, args) => {
    const previous = findView(ws, args);
    return { view: storeView(ws, viewArg(args, previous.type), previous) };
  },

  'views.publish': (ws, args) => {
    const user = ws.user(args.user_id);
    const previousId = ws.homeTabs.get(user.id);
    const view = storeView(ws, viewArg(args, 'home'), previousId ? ws.views.get(previousId) : undefined);
    ws.homeTabs.set(user.id, view.id);
    return { view };
  },

  'users.info': (ws, args) => ({ user: ws.user(args.user) }),

  // Any well-formed channel id exists (as resolveChannel has it); `is_member` says whether the bot is in it.
  'conversations.info': (ws, args) => {
    const id = ws.resolveChannel(args.channel);
    const isPrivate = id.startsWith('G');
    // Slack hides a private channel from a bot that is not in it.
    if (isPrivate && !ws.isBotIn(id)) throw new SlackApiError('channel_not_found');
    return {
      channel: {
        id,
        name: id.toLowerCase(),
        is_channel: !isPrivate,
        is_group: false,
        is_im: id.startsWith('D'),
        is_private: isPrivate,
        is_archived: false,
        is_member: ws.isBotIn(id),
        created: 0,
      },
    };
  },

  'usergroups.list': (ws, args) => {
    const withDisabled = args.include_disabled === true || args.include_disabled === 'true' || args.include_disabled === '1';
    const ids = [...ws.usergroups.keys()].filter((id) => withDisabled || !ws.disabledUsergroups.has(id));
    return { usergroups: ids.map((id) => usergroupObject(ws, id)) };
  },

  // A disabled group keeps its members; `date_delete` is non-zero until it is enabled again.
  'usergroups.disable': (ws, args) => {
    const id = str(args.usergroup) ?? '';
    if (!ws.usergroups.has(id)) throw new SlackApiError('no_such_subteam');
    ws.disabledUsergroups.add(id);
    return { usergroup: usergroupObject(ws, id) };
  },

  'usergroups.enable': (ws, args) => {
    const id = str(args.usergroup) ?? '';
    if (!ws.usergroups.has(id)) throw new SlackApiError('no_such_subteam');
    ws.disabledUsergroups.delete(id);
    return { usergroup: usergroupObject(ws, id) };
  },

  'usergroups.users.list': (ws, args) => {
    const users = ws.usergroups.get(str(args.usergroup) ?? '');
    if (!users) throw new SlackApiError('no_such_subteam');
    return { users: [...users] };
  },

  'usergroups.users.update': (ws, args) => {
    const id = str(args.usergroup) ?? '';
    if (!ws.usergroups.has(id)) throw new SlackApiError('no_such_subteam');
    // The whole new member list, never empty: Slack cannot empty a group (no_users_provided; anything that is
    // not a user id, `[]` included, is invalid_users). A group nobody should answer for is disabled instead.
    const users = (str(args.users) ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    if (users.length === 0) throw new SlackApiError('no_users_provided');
    if (users.some((u) => !ws.users.has(u))) throw new SlackApiError('invalid_users');
    // The list replaces the group's members, as in Slack.
    ws.usergroups.set(id, [...new Set(users)]);
    return { usergroup: usergroupObject(ws, id) };
  },

  'reactions.add': (ws, args) => {
    const name = str(args.name);
    if (!name || !/^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/.test(name)) throw new SlackApiError('invalid_name');
    const message = ws.findMessage(ws.resolveChannel(args.channel), args.timestamp);
    const reactions = (message.reactions ??= []);
    let reaction = reactions.find((r) => r.name === name);
    if (!reaction) {
      if (reactions.length >= 23) throw new SlackApiError('too_many_emoji');
      reaction = { name, users: [], count: 0 };
      reactions.push(reaction);
    }
    if (reaction.users.includes(ws.team.botUserId)) throw new SlackApiError('already_reacted');
    reaction.users.push(ws.team.botUserId);
    reaction.count += 1;
    return {};
  },

  'reactions.remove': (ws, args) => {
    const name = str(args.name);
    if (!name) throw new SlackApiError('invalid_name');
    const message = ws.findMessage(ws.resolveChannel(args.channel), args.timestamp);
    const reactions = message.reactions ?? [];
    const reaction = reactions.find((r) => r.name === name);
    if (!reaction || !reaction.users.includes(ws.team.botUserId)) throw new SlackApiError('no_reaction');
    reaction.users = reaction.users.filter((u) => u !== ws.team.botUserId);
    reaction.count -= 1;
    if (reaction.count === 0) message.reactions = reactions.filter((r) => r !== reaction);
    return {};
  },
};

/** A user group as `usergroups.*` methods return it. */
function usergroupObject(ws: Workspace, id: string): Record<string, unknown> {
  const users = ws.usergroups.get(id) ?? [];
  return {
    id,
    team_id: ws.team.teamId,
    is_usergroup: true,
    is_subteam: true,
    name: id,
    handle: id.toLowerCase(),
    description: '',
    date_create: 0,
    date_update: Math.floor(ws.now() / 1000),
    date_delete: ws.disabledUsergroups.has(id) ? Math.floor(ws.now() / 1000) : 0,
    auto_type: null,
    created_by: ws.team.botUserId,
    updated_by: ws.team.botUserId,
    deleted_by: null,
    prefs: { channels: [], groups: [] },
    users: [...users],
    user_count: users.length,
  };
}
