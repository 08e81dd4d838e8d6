import {
  ChannelType,
  GuildMemberFlags,
  MessageType,
  MessageFlags,
  PermissionFlagsBits,
  RoleFlags,
  UserFlags,
  type APIGuildMember,
  type APIRole,
  type APIUser,
  type GatewayMessageCreateDispatchData,
} from 'discord.js';
import { Snowflakes } from './snowflake.js';

export * from './interaction-payloads.js';

/**
 * A channel as the fake stores it: the JSON Discord returns for `GET /channels/{id}` (text, forum,
 * category, thread or DM), kept loose because the fake patches it in place.
 */
export interface FakeChannel {
  id: string;
  type: ChannelType;
  name?: string;
  guild_id?: string;
  parent_id?: string | null;
  [field: string]: unknown;
}

/** A guild as a test describes it; the fake builds GUILD_CREATE from it. */
export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  /** `roles[0]` is @everyone, whose id is the guild id. */
  roles: APIRole[];
  channels: FakeChannel[];
  members: APIGuildMember[];
}

// Ids for seeds made before a fake exists: a private clock from 2024-01-01 that ticks once per id.
let seedClock = Date.UTC(2024, 0, 1);
const seedIds = new Snowflakes(() => (seedClock += 1));
/** A fresh snowflake for seed data (guilds, users, channels, roles). */
export const seedId = (): string => seedIds.next();

/** What members of a plain community get from @everyone: see, talk, use commands, read history. */
export const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands;

export function user(input: { id?: string; username: string; globalName?: string; bot?: boolean }): APIUser {
  return {
    id: input.id ?? seedId(),
    username: input.username,
    discriminator: '0',
    global_name: input.globalName ?? null,
    avatar: null,
    ...(input.bot ? { bot: true } : {}),
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    avatar_decoration_data: null,
  };
}

export function role(input: { id?: string; name: string; permissions?: bigint; position?: number; mentionable?: boolean; color?: number }): APIRole {
  const color = input.color ?? 0;
  return {
    id: input.id ?? seedId(),
    name: input.name,
    color,
    colors: { primary_color: color, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: input.position ?? 1,
    permissions: String(input.permissions ?? 0n),
    managed: false,
    mentionable: input.mentionable ?? false,
    flags: 0 as RoleFlags,
  };
}

export function textChannel(input: { id?: string; name: string; parentId?: string; topic?: string; position?: number }): FakeChannel {
  return {
    id: input.id ?? seedId(),
    type: ChannelType.GuildText,
    name: input.name,
    position: input.position ?? 0,
    permission_overwrites: [],
    parent_id: input.parentId ?? null,
    topic: input.topic ?? null,
    nsfw: false,
    rate_limit_per_user: 0,
    last_message_id: null,
    default_auto_archive_duration: 4320,
    flags: 0,
  };
}

export function categoryChannel(input: { id?: string; name: string; position?: number }): FakeChannel {
  return {
    id: input.id ?? seedId(),
    type: ChannelType.GuildCategory,
    name: input.name,
    position: input.position ?? 0,
    permission_overwrites: [],
    parent_id: null,
    flags: 0,
  };
}

/** A forum (type 15): posts are public threads (type 11) that may carry `applied_tags`. */
export function forumChannel(input: {
  id?: string;
  name: string;
  tags?: (string | { name: string; moderated?: boolean; emoji?: string })[];
  parentId?: string;
}): FakeChannel {
  return {
    ...textChannel({ ...input, ...(input.id ? { id: input.id } : {}) }),
    type: ChannelType.GuildForum,
    available_tags: (input.tags ?? []).map((tag) => {
      const t = typeof tag === 'string' ? { name: tag } : tag;
      return { id: seedId(), name: t.name, moderated: t.moderated ?? false, emoji_id: null, emoji_name: t.emoji ?? null };
    }),
    default_reaction_emoji: null,
    default_sort_order: null,
    default_forum_layout: 0,
    default_thread_rate_limit_per_user: 0,
  };
}

export function member(of: APIUser, input: { roles?: (APIRole | string)[]; nick?: string; joinedAt?: string } = {}): APIGuildMember {
  return {
    user: of,
    nick: input.nick ?? null,
    avatar: null,
    banner: null,
    roles: (input.roles ?? []).map((r) => (typeof r === 'string' ? r : r.id)),
    joined_at: input.joinedAt ?? '2024-01-01T00:00:00.000Z',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/**
 * A guild: @everyone (id = guild id) is added first; channels get `guild_id`; the owner becomes a
 * member if not listed. The bot's member and role are added by the fake when it starts.
 */
export function guild(input: {
  id?: string;
  name: string;
  owner: APIUser;
  roles?: APIRole[];
  channels?: FakeChannel[];
  members?: APIGuildMember[];
  everyonePermissions?: bigint;
}): FakeGuild {
  const id = input.id ?? seedId();
  const everyone = role({ id, name: '@everyone', permissions: input.everyonePermissions ?? EVERYONE_PERMISSIONS, position: 0 });
  const members = [...(input.members ?? [])];
  if (!members.some((m) => m.user.id === input.owner.id)) members.unshift(member(input.owner));
  return {
    id,
    name: input.name,
    ownerId: input.owner.id,
    roles: [everyone, ...(input.roles ?? [])],
    channels: (input.channels ?? []).map((c) => ({ ...c, guild_id: id })),
    members,
  };
}

/**
 * MESSAGE_CREATE's `d` for a person writing in a guild channel or thread: the message plus
 * `guild_id` and `member` (without `user`), as the gateway sends it.
 */
export function userMessage(input: {
  id: string;
  channelId: string;
  guildId?: string;
  author: APIGuildMember | APIUser;
  content: string;
  timestamp: string;
  mentions?: APIUser[];
}): GatewayMessageCreateDispatchData {
  const author = 'user' in input.author ? input.author.user : input.author;
  const base: GatewayMessageCreateDispatchData = {
    id: input.id,
    channel_id: input.channelId,
    author,
    content: input.content,
    timestamp: input.timestamp,
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: input.mentions ?? [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    type: MessageType.Default,
    flags: 0 as MessageFlags,
  };
  if (!input.guildId) return base;
  const { user: _omit, ...memberNoUser } = 'user' in input.author ? input.author : member(author);
  return { ...base, guild_id: input.guildId, member: memberNoUser };
}
