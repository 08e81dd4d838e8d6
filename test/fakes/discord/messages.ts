import { ChannelType, MessageFlags, MessageType, PermissionFlagsBits, type APIAttachment, type APIMessage, type APIUser } from 'discord.js';
import { ApiError } from './api-error.js';
import type { FakeChannel } from './payloads.js';
import { assertNotEmpty, checkMessage, FormCheck, type Json } from './validate.js';
import type { DiscordWorld } from './world.js';

/** A file that came with a multipart request (discord.js sends `files[n]` parts plus `payload_json`). */
export interface UploadedFile {
  field: string;
  name: string;
  contentType: string;
  size: number;
  /** The bytes, kept so a test can read what was attached (`world.attachments`). */
  content: Buffer;
}

/**
 * Discord's upload limit per message for a bot in a server without boosts: 10 MiB (files together).
 * A larger request is refused before it is read: `413 40005 Request entity too large`.
 */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export interface PostOptions {
  author?: APIUser;
  type?: MessageType;
  /** Interaction replies with flag 64: returned, never stored in the channel nor dispatched. */
  ephemeral?: boolean;
  files?: UploadedFile[];
  /** Only for a deferred interaction reply's placeholder. */
  allowEmpty?: boolean;
  extra?: Partial<APIMessage>;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const unique = <T>(items: T[]) => [...new Set(items)];

/**
 * Creates a message the way Discord does: validates limits, resolves who is pinged from the content
 * and `allowed_mentions` (so `mention_everyone`, `mentions`, `mention_roles` say who really got
 * notified), unarchives a thread it lands in, stores it and dispatches MESSAGE_CREATE.
 */
export function createMessage(world: DiscordWorld, channelId: string, body: Json, options: PostOptions = {}): APIMessage {
  const channel = world.channel(channelId);
  if (channel.type === ChannelType.GuildForum || channel.type === ChannelType.GuildCategory) {
    throw new ApiError(400, 50008, 'Cannot send messages in a non-text channel');
  }
  if (channel.type === ChannelType.DM && ((channel.recipients as APIUser[] | undefined) ?? []).some((u) => world.closedDms.has(u.id))) {
    throw new ApiError(403, 50007, 'Cannot send messages to this user');
  }
  const check = new FormCheck();
  checkMessage(body, check);
  check.done();
  if (!options.allowEmpty) assertNotEmpty(body, (options.files ?? []).length > 0);
  if ((options.files ?? []).reduce((sum, f) => sum + f.size, 0) > MAX_UPLOAD_BYTES) throw new ApiError(413, 40005, 'Request entity too large');
  // An ephemeral answer is never in the thread, so it neither needs nor reopens it.
  if (world.isThread(channel) && !options.ephemeral) reopenForMessage(world, channel, (options.author ?? world.bot).id);
  const reference = body.message_reference as Json | undefined;
  const referenced = reference ? world.messages.get(String(reference.message_id)) : undefined;
  if (reference && !referenced && reference.fail_if_not_exists !== false)
    throw new ApiError(400, 50035, 'Invalid Form Body', {
      message_reference: { _errors: [{ code: 'REPLIES_UNKNOWN_MESSAGE', message: 'Unknown message' }] },
    });
  const at = world.now();
  const message: APIMessage = {
    id: options.extra?.id ?? world.ids.next(),
    channel_id: channel.id,
    author: options.author ?? world.bot,
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: world.iso(at),
    edited_timestamp: null,
    tts: body.tts === true,
    ...resolveMentions(world, channel, body, referenced),
    attachments: (options.files ?? []).map((f) => attachment(world, channel.id, f)),
    embeds: (body.embeds as APIMessage['embeds'] | undefined) ?? [],
    components: (body.components as APIMessage['components'] | undefined) ?? [],
    pinned: false,
    type: options.type ?? (referenced ? MessageType.Reply : MessageType.Default),
    flags: Number(body.flags ?? 0) as MessageFlags,
    ...(body.nonce !== undefined ? { nonce: body.nonce as string } : {}),
    ...(referenced
      ? {
          message_reference: {
            type: 0,
            message_id: referenced.id,
            channel_id: referenced.channel_id,
            ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
          },
          referenced_message: referenced,
        }
      : {}),
    ...options.extra,
  };
  if (options.ephemeral) return message;
  world.messages.set(message.id, message);
  channel.last_message_id = message.id;
  if (world.isThread(channel)) {
    message.position = Number(channel.total_message_sent ?? 0);
    channel.message_count = Number(channel.message_count ?? 0) + 1;
    channel.total_message_sent = Number(channel.total_message_sent ?? 0) + 1;
  }
  world.dispatch('MESSAGE_CREATE', gatewayMessage(world, message));
  return message;
}

/** Edits the fields present in `body` (content, embeds, components, flags, attachments) and dispatches MESSAGE_UPDATE. */
export function editMessage(world: DiscordWorld, message: APIMessage, body: Json): APIMessage {
  const check = new FormCheck();
  checkMessage(body, check);
  check.done();
  if (message.author.id !== world.bot.id) throw new ApiError(403, 50005, 'Cannot edit a message authored by another user');
  const channel = world.channels.get(message.channel_id);
  if ('content' in body) {
    message.content = typeof body.content === 'string' ? body.content : '';
    if (channel) Object.assign(message, resolveMentions(world, channel, { ...body, content: message.content }, undefined));
  }
  if ('embeds' in body) message.embeds = (body.embeds as APIMessage['embeds'] | null) ?? [];
  if ('components' in body) message.components = (body.components as APIMessage['components'] | null) ?? [];
  if ('flags' in body) message.flags = (Number(body.flags ?? 0) | (Number(message.flags ?? 0) & MessageFlags.Ephemeral)) as MessageFlags;
  if ('attachments' in body) message.attachments = (body.attachments as APIAttachment[] | null) ?? [];
  message.edited_timestamp = world.iso();
  if (world.messages.has(message.id)) world.dispatch('MESSAGE_UPDATE', gatewayMessage(world, message));
  return message;
}

/**
 * A person edits their own message in the client: the content (mentions resolved again), and
 * `edited_timestamp`; dispatches MESSAGE_UPDATE with the whole message, as Discord does.
 */
export function personEdit(world: DiscordWorld, message: APIMessage, content: string): APIMessage {
  const check = new FormCheck();
  checkMessage({ content }, check);
  check.done();
  const channel = world.channels.get(message.channel_id);
  message.content = content;
  if (channel) Object.assign(message, resolveMentions(world, channel, { content }, undefined));
  message.edited_timestamp = world.iso();
  world.dispatch('MESSAGE_UPDATE', gatewayMessage(world, message));
  return message;
}

/**
 * Discord resolved a link's preview (or a moderator suppressed it): MESSAGE_UPDATE with new
 * `embeds`, the content and `edited_timestamp` as they were.
 */
export function embedsResolved(world: DiscordWorld, message: APIMessage, embeds: APIMessage['embeds']): APIMessage {
  message.embeds = embeds;
  world.dispatch('MESSAGE_UPDATE', gatewayMessage(world, message));
  return message;
}

/** Removes a message (its thread counts one fewer) and dispatches MESSAGE_DELETE: `{ id, channel_id, guild_id }`, nothing else. */
export function deleteMessage(world: DiscordWorld, message: APIMessage): void {
  world.messages.delete(message.id);
  const channel = world.channels.get(message.channel_id);
  if (channel && world.isThread(channel)) channel.message_count = Math.max(0, Number(channel.message_count ?? 0) - 1);
  world.dispatch('MESSAGE_DELETE', { id: message.id, channel_id: message.channel_id, ...(channel?.guild_id ? { guild_id: channel.guild_id } : {}) });
}

/**
 * MESSAGE_CREATE / MESSAGE_UPDATE `d`: the message plus `guild_id` and the author's `member` in guilds;
 * in a DM, `channel_type` (1), from which a client that has not cached the DM channel builds it (a partial).
 */
export function gatewayMessage(world: DiscordWorld, message: APIMessage): Json {
  const channel = world.channels.get(message.channel_id);
  const guildId = channel?.guild_id;
  if (!guildId) return { ...message, ...(channel ? { channel_type: channel.type } : {}) };
  const author = world.guilds.get(guildId)?.members.find((m) => m.user.id === message.author.id);
  const { user: _omit, ...member } = author ?? { user: undefined };
  return { ...message, guild_id: guildId, ...(author ? { member } : {}) };
}

/**
 * Who a message really pings. Without `allowed_mentions` Discord parses every mention in the
 * content; with it, users/roles/@everyone only as `parse` or the id lists allow. `@everyone` and
 * `@here` also need the MentionEveryone permission; a reply pings its author only with `replied_user`.
 */
function resolveMentions(world: DiscordWorld, channel: FakeChannel, body: Json, referenced: APIMessage | undefined) {
  const content = typeof body.content === 'string' ? body.content : '';
  const allowed = body.allowed_mentions as Json | undefined | null;
  const parse = allowed ? list(allowed.parse) : ['users', 'roles', 'everyone'];
  const written = (pattern: RegExp) => unique([...content.matchAll(pattern)].map((m) => m[1] ?? ''));
  const userIds = written(/<@!?(\d{15,21})>/g).filter((id) => parse.includes('users') || list(allowed?.users).includes(id));
  const roleIds = written(/<@&(\d{15,21})>/g).filter((id) => parse.includes('roles') || list(allowed?.roles).includes(id));
  const guild = channel.guild_id ? world.guilds.get(channel.guild_id) : undefined;
  const mayMentionEveryone = guild ? (world.permissionsOf(guild.id, world.bot.id) & PermissionFlagsBits.MentionEveryone) !== 0n : false;
  const mentions = userIds.map((id) => world.users.get(id)).filter((u): u is APIUser => u !== undefined);
  if (referenced && (!allowed || allowed.replied_user === true) && !mentions.some((u) => u.id === referenced.author.id))
    mentions.push(referenced.author);
  return {
    mention_everyone: /@(everyone|here)\b/.test(content) && parse.includes('everyone') && mayMentionEveryone,
    mentions,
    mention_roles: roleIds.filter((id) => guild?.roles.some((r) => r.id === id && (r.mentionable || mayMentionEveryone))),
  };
}

function attachment(world: DiscordWorld, channelId: string, file: UploadedFile): APIAttachment {
  const id = world.ids.next();
  world.attachments.set(id, file.content);
  const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(file.name)}`;
  return { id, filename: file.name, size: file.size, url, proxy_url: url, content_type: file.contentType };
}

/**
 * A locked thread takes messages only from those who may manage threads (moderators, the bot):
 * anyone else gets `50083 Thread is archived` (archived) or `160005 Thread is locked`. Posting into
 * an archived thread reopens it; a locked one stays locked.
 */
function reopenForMessage(world: DiscordWorld, thread: FakeChannel, authorId: string): void {
  const meta = thread.thread_metadata as Json;
  if (meta.locked) {
    const guildId = String(thread.guild_id);
    const mayManage =
      world.guilds.get(guildId)?.members.some((m) => m.user.id === authorId) === true &&
      (world.permissionsOf(guildId, authorId) & PermissionFlagsBits.ManageThreads) !== 0n;
    if (!mayManage) throw meta.archived ? new ApiError(400, 50083, 'Thread is archived') : new ApiError(403, 160005, 'Thread is locked');
  }
  if (!meta.archived) return;
  meta.archived = false;
  meta.archive_timestamp = world.iso();
  world.dispatch('THREAD_UPDATE', { ...thread });
}

/** Who reacted with what, per message, so a user's second identical reaction is a no-op as on Discord. */
const reactors = new WeakMap<APIMessage, Set<string>>();

/** Counts a reaction by `userId` on a message (once per user and emoji) and dispatches MESSAGE_REACTION_ADD. */
export function react(world: DiscordWorld, message: APIMessage, emoji: string, userId: string): void {
  const [name = emoji, id = null] = emoji.split(':');
  const seen = reactors.get(message) ?? new Set<string>();
  reactors.set(message, seen);
  if (seen.has(`${userId} ${emoji}`)) return;
  seen.add(`${userId} ${emoji}`);
  const reactions = (message.reactions ??= []);
  let reaction = reactions.find((r) => r.emoji.name === name && (r.emoji.id ?? null) === id);
  if (!reaction) {
    reaction = { count: 0, count_details: { burst: 0, normal: 0 }, me: false, me_burst: false, burst_colors: [], emoji: { id, name } };
    reactions.push(reaction);
  }
  reaction.count += 1;
  reaction.count_details.normal += 1;
  if (userId === world.bot.id) reaction.me = true;
  const guildId = world.channels.get(message.channel_id)?.guild_id;
  world.dispatch('MESSAGE_REACTION_ADD', {
    user_id: userId,
    channel_id: message.channel_id,
    message_id: message.id,
    emoji: { id, name },
    burst: false,
    type: 0,
    message_author_id: message.author.id,
    ...(guildId ? { guild_id: guildId, member: world.member(guildId, userId) } : {}),
  });
}
