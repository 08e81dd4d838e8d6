import { ChannelType, MessageFlags, PermissionFlagsBits, type APIMessage, type APIUser } from 'discord.js';
import { ApiError } from './api-error.js';
import { createMessage, type UploadedFile } from './messages.js';
import type { FakeChannel } from './payloads.js';
import { FormCheck, type Json } from './validate.js';
import type { DiscordWorld } from './world.js';

const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080];

/** Discord's forum limits: tags a forum may define, tags a post may carry, characters in a tag's name. */
export const MAX_FORUM_TAGS = 20;
export const MAX_APPLIED_TAGS = 5;
const TAG_NAME_MAX = 20;

/** The tag ids a forum defines. */
function tagIds(forum: FakeChannel | undefined): string[] {
  return ((forum?.available_tags as Json[] | undefined) ?? []).map((t) => String(t.id));
}

/** `applied_tags` of a post (create or PATCH): at most 5, each one of the forum's tags. */
function checkAppliedTags(check: FormCheck, tags: string[], forum: FakeChannel | undefined): void {
  if (tags.length > MAX_APPLIED_TAGS) check.fail(['applied_tags'], 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_APPLIED_TAGS} or fewer in length.`);
  const known = tagIds(forum);
  tags.forEach((t, i) => {
    if (!known.includes(t)) check.fail(['applied_tags', i], 'THREAD_TAG_NOT_FOUND', 'Unknown tag.');
  });
}

/**
 * `POST /channels/{id}/threads` and `POST /channels/{id}/messages/{mid}/threads`. In a text channel
 * the body's `type` picks a private (12, the default) or public (11) thread; from a message it is
 * public and takes the message's id; in a forum (15) it is a public post whose starter message
 * (`body.message`) has the thread's id. The creator (the bot) is the first member. Dispatches
 * THREAD_CREATE (`newly_created: true`), then MESSAGE_CREATE for a forum post's starter message.
 */
export function createThread(
  world: DiscordWorld,
  parentId: string,
  body: Json,
  options: { starter?: APIMessage; files?: UploadedFile[]; owner?: APIUser } = {},
): Json {
  const parent = world.channel(parentId);
  const forum = parent.type === ChannelType.GuildForum;
  const check = new FormCheck();
  check.between(['name'], body.name, 1, 100);
  const duration = Number(body.auto_archive_duration ?? parent.default_auto_archive_duration ?? 4320);
  if (!ARCHIVE_DURATIONS.includes(duration))
    check.fail(['auto_archive_duration'], 'BASE_TYPE_CHOICES', `Value must be one of {${ARCHIVE_DURATIONS.join(', ')}}.`);
  const tags = Array.isArray(body.applied_tags) ? body.applied_tags.map(String) : [];
  if (forum) {
    if (!body.message) check.fail(['message'], 'BASE_TYPE_REQUIRED', 'This field is required');
    checkAppliedTags(check, tags, parent);
  }
  let type = forum || options.starter ? ChannelType.PublicThread : Number(body.type ?? ChannelType.PrivateThread);
  if (parent.type === ChannelType.GuildAnnouncement && options.starter) type = ChannelType.AnnouncementThread;
  if (!forum && !options.starter && type !== ChannelType.PublicThread && type !== ChannelType.PrivateThread) {
    check.fail(['type'], 'BASE_TYPE_CHOICES', 'Value must be one of {11, 12}.');
  }
  if (!forum && parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) {
    throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
  }
  check.done();
  if (options.starter?.thread) throw new ApiError(400, 160004, 'A thread has already been created for this message');

  const at = world.iso();
  const owner = options.owner ?? world.bot;
  const thread: FakeChannel = {
    id: options.starter?.id ?? world.ids.next(),
    guild_id: parent.guild_id,
    parent_id: parent.id,
    owner_id: owner.id,
    type,
    name: String(body.name),
    last_message_id: null,
    rate_limit_per_user: Number(body.rate_limit_per_user ?? 0),
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    flags: 0,
    ...(forum ? { applied_tags: tags } : {}),
    thread_metadata: {
      archived: false,
      auto_archive_duration: duration,
      archive_timestamp: at,
      locked: false,
      create_timestamp: at,
      ...(type === ChannelType.PrivateThread ? { invitable: body.invitable !== false } : {}),
    },
  };
  world.channels.set(thread.id, thread);
  world.threadMembers.set(thread.id, new Map([[owner.id, at]]));
  const self = { id: thread.id, user_id: owner.id, join_timestamp: at, flags: 0 };
  if (options.starter) {
    options.starter.thread = thread as unknown as APIMessage['thread'];
    options.starter.flags = (Number(options.starter.flags ?? 0) | MessageFlags.HasThread) as MessageFlags;
  }
  // The thread member object is the bot's own, so only a thread the bot created carries it.
  world.dispatch('THREAD_CREATE', { ...thread, newly_created: true, ...(owner.id === world.bot.id ? { member: self } : {}) });
  const response: Json = { ...thread, ...(owner.id === world.bot.id ? { member: self } : {}) };
  if (forum)
    response.message = createMessage(world, thread.id, body.message as Json, { files: options.files ?? [], author: owner, extra: { id: thread.id } });
  return response;
}

/**
 * `PATCH /channels/{id}`. A thread takes name, archived, locked, auto_archive_duration, invitable
 * (private threads), applied_tags (forum posts: at most 5 of the forum's tags) and
 * rate_limit_per_user; an archived thread must be unarchived in the same request to change
 * anything else (`50083 Thread is archived`). A forum takes `available_tags` (at most 20, names of
 * 1–20 characters; a tag without an id is new and gets one), which replaces its list.
 */
export function editChannel(world: DiscordWorld, channel: FakeChannel, body: Json): FakeChannel {
  if (!world.isThread(channel)) {
    // Changing a channel (its tags too) takes Manage Channels; the fake checks the bot, the only REST caller.
    const guildId = String(channel.guild_id);
    if ((world.permissionsOf(guildId, world.bot.id) & PermissionFlagsBits.ManageChannels) === 0n)
      throw new ApiError(403, 50013, 'Missing Permissions');
    if (body.available_tags !== undefined) channel.available_tags = availableTags(world, channel, body.available_tags);
    for (const key of ['name', 'topic', 'position', 'nsfw', 'rate_limit_per_user', 'parent_id']) {
      if (key in body) channel[key] = body[key];
    }
    world.dispatch('CHANNEL_UPDATE', { ...channel });
    return channel;
  }
  const meta = channel.thread_metadata as Json;
  const check = new FormCheck();
  if ('name' in body) check.between(['name'], body.name, 1, 100);
  if (body.applied_tags !== undefined && body.applied_tags !== null) {
    const parent = world.channels.get(String(channel.parent_id));
    if (parent?.type !== ChannelType.GuildForum && parent?.type !== ChannelType.GuildMedia)
      throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
    checkAppliedTags(check, Array.isArray(body.applied_tags) ? body.applied_tags.map(String) : [], parent);
  }
  check.done();
  if (meta.archived && body.archived !== false && Object.keys(body).some((k) => k !== 'archived' && body[k] !== undefined)) {
    throw new ApiError(400, 50083, 'Thread is archived');
  }
  if (body.name !== undefined) channel.name = String(body.name);
  if (body.rate_limit_per_user !== undefined) channel.rate_limit_per_user = Number(body.rate_limit_per_user);
  if (body.applied_tags !== undefined) channel.applied_tags = (body.applied_tags as unknown[]).map(String);
  if (body.auto_archive_duration !== undefined) meta.auto_archive_duration = Number(body.auto_archive_duration);
  if (body.locked !== undefined) meta.locked = body.locked === true;
  if (body.invitable !== undefined && channel.type === ChannelType.PrivateThread) meta.invitable = body.invitable === true;
  if (body.archived !== undefined && body.archived !== meta.archived) {
    meta.archived = body.archived === true;
    meta.archive_timestamp = world.iso();
  }
  world.dispatch('THREAD_UPDATE', { ...channel });
  return channel;
}

/**
 * `DELETE /channels/{id}` (and a person deleting their forum post): a thread goes with its messages
 * and members, and THREAD_DELETE carries only `{ id, guild_id, parent_id, type }` (Discord sends no
 * MESSAGE_DELETE for the messages in it); any other guild channel leaves its guild with
 * CHANNEL_DELETE (the whole channel). Answers the channel as it was. The REST route checks the
 * bot's permission: Manage Threads for a thread, Manage Channels for a channel.
 */
export function deleteChannel(world: DiscordWorld, channel: FakeChannel, options: { checkBot?: boolean } = {}): FakeChannel {
  const guildId = channel.guild_id;
  if (!guildId) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
  const thread = world.isThread(channel);
  if (options.checkBot) {
    const needed = thread ? PermissionFlagsBits.ManageThreads : PermissionFlagsBits.ManageChannels;
    if ((world.permissionsOf(guildId, world.bot.id) & needed) === 0n) throw new ApiError(403, 50013, 'Missing Permissions');
  }
  world.channels.delete(channel.id);
  if (thread) {
    for (const m of world.messagesIn(channel.id)) world.messages.delete(m.id);
    world.threadMembers.delete(channel.id);
    world.dispatch('THREAD_DELETE', { id: channel.id, guild_id: guildId, parent_id: channel.parent_id ?? null, type: channel.type });
    return channel;
  }
  const g = world.guild(guildId);
  g.channels = g.channels.filter((c) => c.id !== channel.id);
  world.dispatch('CHANNEL_DELETE', { ...channel });
  return channel;
}

/** A forum's new `available_tags`: validated like Discord (20 tags, names 1–20, unique), new ones get ids. */
function availableTags(world: DiscordWorld, forum: FakeChannel, raw: unknown): Json[] {
  if (forum.type !== ChannelType.GuildForum && forum.type !== ChannelType.GuildMedia)
    throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
  const tags = Array.isArray(raw) ? (raw as Json[]) : [];
  const check = new FormCheck();
  if (tags.length > MAX_FORUM_TAGS) check.fail(['available_tags'], 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_FORUM_TAGS} or fewer in length.`);
  const known = tagIds(forum);
  const names = new Set<string>();
  tags.forEach((t, i) => {
    check.between(['available_tags', i, 'name'], t.name, 1, TAG_NAME_MAX);
    if (t.id !== undefined && t.id !== null && !known.includes(String(t.id)))
      check.fail(['available_tags', i, 'id'], 'THREAD_TAG_NOT_FOUND', 'Unknown tag.');
    const name = String(t.name ?? '').toLowerCase();
    if (names.has(name)) check.fail(['available_tags', i, 'name'], 'TAG_NAME_NOT_UNIQUE', 'Tag names must be unique.');
    names.add(name);
  });
  check.done();
  return tags.map((t) => ({
    id: t.id !== undefined && t.id !== null ? String(t.id) : world.ids.next(),
    name: String(t.name),
    moderated: t.moderated === true,
    emoji_id: t.emoji_id ?? null,
    emoji_name: t.emoji_name ?? null,
  }));
}

function threadOf(world: DiscordWorld, id: string): FakeChannel {
  const thread = world.channel(id);
  if (!world.isThread(thread)) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
  if ((thread.thread_metadata as Json).archived) throw new ApiError(400, 50083, 'Thread is archived');
  return thread;
}

/** `PUT /channels/{thread}/thread-members/{user}`: the user must be in the guild; dispatches THREAD_MEMBERS_UPDATE. */
export function addThreadMember(world: DiscordWorld, threadId: string, userId: string): void {
  const thread = threadOf(world, threadId);
  const guildMember = world.member(String(thread.guild_id), userId);
  const members = world.threadMembers.get(thread.id) ?? new Map<string, string>();
  world.threadMembers.set(thread.id, members);
  if (members.has(userId)) return;
  const at = world.iso();
  members.set(userId, at);
  thread.member_count = members.size;
  world.dispatch('THREAD_MEMBERS_UPDATE', {
    id: thread.id,
    guild_id: thread.guild_id,
    member_count: members.size,
    added_members: [{ id: thread.id, user_id: userId, join_timestamp: at, flags: 0, member: guildMember, presence: null }],
  });
}

/** `DELETE /channels/{thread}/thread-members/{user}`. */
export function removeThreadMember(world: DiscordWorld, threadId: string, userId: string): void {
  const thread = threadOf(world, threadId);
  const members = world.threadMembers.get(thread.id);
  if (!members?.delete(userId)) return;
  thread.member_count = members.size;
  world.dispatch('THREAD_MEMBERS_UPDATE', { id: thread.id, guild_id: thread.guild_id, member_count: members.size, removed_member_ids: [userId] });
}

/** `GET /channels/{thread}/thread-members`. */
export function threadMembers(world: DiscordWorld, threadId: string): Json[] {
  const thread = world.channel(threadId);
  return [...(world.threadMembers.get(thread.id) ?? new Map<string, string>())].map(([userId, at]) => ({
    id: thread.id,
    user_id: userId,
    join_timestamp: at,
    flags: 0,
  }));
}
