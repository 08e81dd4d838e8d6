import { ChannelType, MessageFlags, type APIMessage } from 'discord.js';
import { ApiError } from './api-error.js';
import { createMessage, type UploadedFile } from './messages.js';
import type { FakeChannel } from './payloads.js';
import { FormCheck, type Json } from './validate.js';
import type { DiscordWorld } from './world.js';

const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080];

/**
 * `POST /channels/{id}/threads` and `POST /channels/{id}/messages/{mid}/threads`. In a text channel
 * the body's `type` picks a private (12, the default) or public (11) thread; from a message it is
 * public and takes the message's id; in a forum (15) it is a public post whose starter message
 * (`body.message`) has the thread's id. The creator (the bot) is the first member. Dispatches
 * THREAD_CREATE (`newly_created: true`), then MESSAGE_CREATE for a forum post's starter message.
 */
export function createThread(world: DiscordWorld, parentId: string, body: Json, options: { starter?: APIMessage; files?: UploadedFile[] } = {}): Json {
  const parent = world.channel(parentId);
  const forum = parent.type === ChannelType.GuildForum;
  const check = new FormCheck();
  check.between(['name'], body.name, 1, 100);
  const duration = Number(body.auto_archive_duration ?? parent.default_auto_archive_duration ?? 4320);
  if (!ARCHIVE_DURATIONS.includes(duration)) check.fail(['auto_archive_duration'], 'BASE_TYPE_CHOICES', `Value must be one of {${ARCHIVE_DURATIONS.join(', ')}}.`);
  const tags = Array.isArray(body.applied_tags) ? body.applied_tags.map(String) : [];
  if (forum) {
    if (!body.message) check.fail(['message'], 'BASE_TYPE_REQUIRED', 'This field is required');
    const known = ((parent.available_tags as Json[] | undefined) ?? []).map((t) => String(t.id));
    if (tags.length > 5 || tags.some((t) => !known.includes(t))) check.fail(['applied_tags'], 'BASE_TYPE_BAD_LENGTH', 'Unknown or too many tags (max 5).');
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
  const thread: FakeChannel = {
    id: options.starter?.id ?? world.ids.next(),
    guild_id: parent.guild_id,
    parent_id: parent.id,
    owner_id: world.bot.id,
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
  world.threadMembers.set(thread.id, new Map([[world.bot.id, at]]));
  const self = { id: thread.id, user_id: world.bot.id, join_timestamp: at, flags: 0 };
  if (options.starter) {
    options.starter.thread = thread as unknown as APIMessage['thread'];
    options.starter.flags = (Number(options.starter.flags ?? 0) | MessageFlags.HasThread) as MessageFlags;
  }
  world.dispatch('THREAD_CREATE', { ...thread, newly_created: true, member: self });
  const response: Json = { ...thread, member: self };
  if (forum) response.message = createMessage(world, thread.id, body.message as Json, { files: options.files ?? [], extra: { id: thread.id } });
  return response;
}

/**
 * `PATCH /channels/{id}`. A thread takes name, archived, locked, auto_archive_duration, invitable
 * (private threads), applied_tags (forum posts) and rate_limit_per_user; an archived thread must
 * be unarchived in the same request to change anything else (`50083 Thread is archived`).
 */
export function editChannel(world: DiscordWorld, channel: FakeChannel, body: Json): FakeChannel {
  if (!world.isThread(channel)) {
    for (const key of ['name', 'topic', 'position', 'nsfw', 'rate_limit_per_user', 'parent_id', 'available_tags']) {
      if (key in body) channel[key] = body[key];
    }
    world.dispatch('CHANNEL_UPDATE', { ...channel });
    return channel;
  }
  const meta = channel.thread_metadata as Json;
  const check = new FormCheck();
  if ('name' in body) check.between(['name'], body.name, 1, 100);
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
  return [...(world.threadMembers.get(thread.id) ?? new Map<string, string>())].map(([userId, at]) => ({ id: thread.id, user_id: userId, join_timestamp: at, flags: 0 }));
}
