import { ChannelType, PermissionFlagsBits, type APIGuildMember, type APIMessage, type APIRole, type APIUser } from 'discord.js';
import { ApiError, unknownChannel, unknownGuild, unknownMember, unknownMessage, unknownUser } from './api-error.js';
import { member as memberOf, role, type FakeChannel, type FakeGuild } from './payloads.js';
import { Snowflakes } from './snowflake.js';
import type { Json } from './validate.js';

/** Every permission bit: what a guild owner or an Administrator has. */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/**
 * What the fake's bot may do in every guild (its managed role). MentionEveryone is included on
 * purpose: a leaked `@everyone` then really parses as a mass mention, so tests can catch it.
 * ManageChannels lets it add tags to a forum; ManageRoles lets it grant a role.
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.ManageThreads |
  PermissionFlagsBits.ManageRoles |
  PermissionFlagsBits.ManageChannels |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.MentionEveryone |
  PermissionFlagsBits.UseApplicationCommands;

/** One interaction the gateway delivered, and what the app answered. Times are the fake clock's. */
export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  guildId?: string;
  channelId: string;
  at: number;
  payload: Json;
  /** The first callback: its type (4 message, 5 deferred, 6 deferred update, 7 update, 9 modal) and time. */
  response?: { type: number; at: number; data?: Json };
  /** For buttons and selects (and modals opened from them): the message the component is on. */
  message?: APIMessage;
  /** What `@original` refers to once answered: the reply, its "thinking…" placeholder, or the updated component message. */
  original?: APIMessage;
  followups: APIMessage[];
}

/** Tells connected gateway sessions what changed; set by the gateway. */
export type Dispatcher = (t: string, d: Json) => void;

export interface WorldOptions {
  applicationId: string;
  bot: APIUser;
  guilds: FakeGuild[];
  now: () => number;
  botPermissions?: bigint;
}

/** The fake's Discord: guilds, channels, messages, threads, commands and interactions, in memory. */
export class DiscordWorld {
  readonly now: () => number;
  readonly ids: Snowflakes;
  readonly applicationId: string;
  readonly bot: APIUser;
  readonly guilds = new Map<string, FakeGuild>();
  readonly channels = new Map<string, FakeChannel>();
  readonly users = new Map<string, APIUser>();
  readonly messages = new Map<string, APIMessage>();
  readonly threadMembers = new Map<string, Map<string, string>>();
  readonly dms = new Map<string, FakeChannel>();
  /**
   * Users who accept no DMs from the bot (their privacy settings): opening the DM channel still
   * works, as on Discord, but a message to it is refused with `403 50007 Cannot send messages to this user`.
   */
  readonly closedDms = new Set<string>();
  /** The bytes of every attachment uploaded, by attachment id. */
  readonly attachments = new Map<string, Buffer>();
  /** Application commands by scope: `'global'` or a guild id. */
  readonly commands = new Map<string, Json[]>();
  readonly interactions = new Map<string, InteractionRecord>();
  /** The same interactions by token (a webhook call names only the token). */
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  readonly #botPermissions: bigint;
  dispatch: Dispatcher = () => {};

  constructor(options: WorldOptions) {
    this.now = options.now;
    this.ids = new Snowflakes(options.now);
    this.applicationId = options.applicationId;
    this.bot = options.bot;
    this.#botPermissions = options.botPermissions ?? BOT_PERMISSIONS;
    this.users.set(this.bot.id, this.bot);
    for (const g of options.guilds) this.addGuild(g);
  }

  /** Takes a guild in: indexes channels and users, and gives the bot a member with a managed role. */
  addGuild(seed: FakeGuild): FakeGuild {
    // A deep copy: tests share seed objects, and the fake edits members and channels in place.
    const g = structuredClone(seed);
    if (!g.members.some((m) => m.user.id === this.bot.id)) {
      // Above the guild's other roles, as an admin arranges it so the bot may grant them (Discord puts a new one at the bottom).
      const position = Math.max(0, ...g.roles.map((r) => r.position)) + 1;
      const botRole: APIRole = {
        ...role({ name: this.bot.username, permissions: this.#botPermissions, position }),
        managed: true,
        tags: { bot_id: this.bot.id },
      };
      g.roles.push(botRole);
      g.members.push(memberOf(this.bot, { roles: [botRole], joinedAt: this.iso() }));
    }
    this.guilds.set(g.id, g);
    for (const c of g.channels) this.channels.set(c.id, Object.assign(c, { guild_id: g.id }));
    for (const m of g.members) this.users.set(m.user.id, m.user);
    return g;
  }

  iso(at = this.now()): string {
    return new Date(at).toISOString();
  }

  guild(id: string): FakeGuild {
    const g = this.guilds.get(id);
    if (!g) throw unknownGuild();
    return g;
  }

  channel(id: string): FakeChannel {
    const c = this.channels.get(id);
    if (!c) throw unknownChannel();
    return c;
  }

  user(id: string): APIUser {
    const u = this.users.get(id);
    if (!u) throw unknownUser();
    return u;
  }

  member(guildId: string, userId: string): APIGuildMember {
    const m = this.guild(guildId).members.find((x) => x.user.id === userId);
    if (!m) throw unknownMember();
    return m;
  }

  /** The roles a member holds now (their ids, without @everyone). */
  rolesOf(guildId: string, userId: string): string[] {
    return [...this.member(guildId, userId).roles];
  }

  /** Guild-level permissions (channel overwrites are not modelled): owner and Administrator get all. */
  permissionsOf(guildId: string, userId: string): bigint {
    const g = this.guild(guildId);
    if (g.ownerId === userId) return ALL_PERMISSIONS;
    const held = new Set([g.id, ...this.member(guildId, userId).roles]);
    const bits = g.roles.filter((r) => held.has(r.id)).reduce((all, r) => all | BigInt(r.permissions), 0n);
    return bits & PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : bits;
  }

  message(channelId: string, id: string): APIMessage {
    const m = this.messages.get(id);
    if (!m || m.channel_id !== channelId) throw unknownMessage();
    return m;
  }

  /** The messages in a channel or thread, oldest first (ephemeral replies are never in a channel). */
  messagesIn(channelId: string): APIMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId);
  }

  isThread(c: FakeChannel): boolean {
    return c.type === ChannelType.PublicThread || c.type === ChannelType.PrivateThread || c.type === ChannelType.AnnouncementThread;
  }

  /** Active (unarchived) threads of a guild, for GUILD_CREATE. */
  activeThreads(guildId: string): FakeChannel[] {
    return [...this.channels.values()].filter(
      (c) => c.guild_id === guildId && this.isThread(c) && !(c.thread_metadata as Json | undefined)?.archived,
    );
  }

  /** A DM channel with a user, the same one each time (POST /users/@me/channels). */
  openDm(userId: string): FakeChannel {
    const recipient = this.users.get(userId);
    if (!recipient) throw new ApiError(400, 50033, 'Invalid Recipient(s)');
    let dm = this.dms.get(userId);
    if (!dm) {
      dm = { id: this.ids.next(), type: ChannelType.DM, last_message_id: null, flags: 0, recipients: [recipient] };
      this.dms.set(userId, dm);
      this.channels.set(dm.id, dm);
    }
    return dm;
  }

  /** Remembers an interaction the gateway is about to deliver, so its token can be answered. */
  registerInteraction(payload: Json): InteractionRecord {
    const record: InteractionRecord = {
      id: String(payload.id),
      token: String(payload.token),
      type: Number(payload.type),
      ...(typeof payload.guild_id === 'string' ? { guildId: payload.guild_id } : {}),
      channelId: String((payload.channel as Json | undefined)?.id ?? payload.channel_id),
      at: this.now(),
      payload,
      ...(payload.message ? { message: payload.message as APIMessage } : {}),
      followups: [],
    };
    this.interactions.set(record.id, record);
    this.interactionsByToken.set(record.token, record);
    return record;
  }
}
