import { ChannelType, MessageType, PermissionFlagsBits, type APIInteraction, type APIMessage, type APIRole } from 'discord.js';
import { createMessage, deleteMessage, embedsResolved, personEdit, react } from './messages.js';
import type { FakeChannel } from './payloads.js';
import { createThread, deleteChannel, editChannel } from './threads.js';
import type { Json } from './validate.js';
import type { DiscordWorld, InteractionRecord } from './world.js';

/**
 * What people do in Discord, as gateway events: each helper changes the fake's state the way
 * Discord would (a message is stored, a reaction counted) and resolves once the dispatch is written
 * to every session that should get it. Changes made through REST (the bot posting, creating a
 * thread, ...) are dispatched the same way: MESSAGE_CREATE, THREAD_CREATE, THREAD_MEMBERS_UPDATE ...
 */
export abstract class GatewayEvents {
  readonly #world: DiscordWorld;
  #pending: Promise<number>[] | undefined;

  protected constructor(world: DiscordWorld) {
    this.#world = world;
    world.dispatch = (t, d) => {
      const sent = this.dispatch(t, d);
      this.#pending?.push(sent);
    };
  }

  abstract dispatch(t: string, d: Json, shard?: number): Promise<number>;

  /**
   * INTERACTION_CREATE. The interaction's token is registered first, so the client's callback is
   * accepted within 3 s of this call on the fake clock. Throws if no session received it.
   */
  async interactionCreate(payload: APIInteraction): Promise<InteractionRecord> {
    const record = this.#world.registerInteraction(payload as unknown as Json);
    const sent = await this.dispatch('INTERACTION_CREATE', payload as unknown as Json);
    if (sent === 0) throw new Error('fake Discord: no gateway session took INTERACTION_CREATE; await gateway.waitForReady() after client.login()');
    return record;
  }

  /**
   * A person writes in a channel, thread or DM (MESSAGE_CREATE, with `member` in guilds). Like
   * Discord, refuses a private thread the author is not a member of (unless they may manage threads).
   */
  async messageCreate(input: { channelId: string; authorId: string; content: string; replyTo?: string }): Promise<APIMessage> {
    const world = this.#world;
    const author = world.user(input.authorId);
    const channel = world.channel(input.channelId);
    if (channel.type === ChannelType.PrivateThread && !world.threadMembers.get(channel.id)?.has(author.id)) {
      const mayManage = (world.permissionsOf(String(channel.guild_id), author.id) & PermissionFlagsBits.ManageThreads) !== 0n;
      if (!mayManage)
        throw new Error(
          `fake Discord: ${author.username} cannot see private thread ${channel.id}; add them with PUT /channels/{thread}/thread-members/{user}`,
        );
    }
    const body: Json = { content: input.content, ...(input.replyTo ? { message_reference: { message_id: input.replyTo } } : {}) };
    return this.#settle(() => createMessage(world, channel.id, body, { author, ...(input.replyTo ? { type: MessageType.Reply } : {}) }));
  }

  /**
   * A person opens a post in a forum (type 15): THREAD_CREATE (a public thread owned by them, with
   * `applied_tags` from the forum's tags), then MESSAGE_CREATE of the starter message, whose id is
   * the thread's. Resolves with both.
   */
  async forumPost(input: {
    forumId: string;
    authorId: string;
    name: string;
    content: string;
    tags?: string[];
  }): Promise<{ thread: FakeChannel; starter: APIMessage }> {
    const world = this.#world;
    const owner = world.user(input.authorId);
    const forum = world.channel(input.forumId);
    if (forum.type !== ChannelType.GuildForum) throw new Error(`fake Discord: ${input.forumId} is not a forum`);
    world.member(String(forum.guild_id), owner.id);
    const created = await this.#settle(() =>
      createThread(
        world,
        forum.id,
        { name: input.name, message: { content: input.content }, ...(input.tags ? { applied_tags: input.tags } : {}) },
        { owner },
      ),
    );
    return { thread: world.channel(String(created.id)), starter: created.message as APIMessage };
  }

  /** A moderator creates a channel (CHANNEL_CREATE), e.g. the help forum after tierdesk connected. */
  async channelCreate(guildId: string, channel: FakeChannel): Promise<FakeChannel> {
    const world = this.#world;
    const g = world.guild(guildId);
    const added: FakeChannel = { ...structuredClone(channel), guild_id: g.id };
    return this.#settle(() => {
      g.channels.push(added);
      world.channels.set(added.id, added);
      world.dispatch('CHANNEL_CREATE', { ...added });
      return added;
    });
  }

  /** An admin creates a role (GUILD_ROLE_CREATE), e.g. the helper role granted at a points threshold. */
  async roleCreate(guildId: string, role: APIRole): Promise<APIRole> {
    const g = this.#world.guild(guildId);
    const added = structuredClone(role);
    return this.#settle(() => {
      g.roles.push(added);
      this.#world.dispatch('GUILD_ROLE_CREATE', { guild_id: g.id, role: added });
      return added;
    });
  }

  /** A moderator gives a member a role, or takes it (GUILD_MEMBER_UPDATE), outside tierdesk. */
  async memberRole(guildId: string, userId: string, roleId: string, has: boolean): Promise<void> {
    const member = this.#world.member(guildId, userId);
    if (!this.#world.guild(guildId).roles.some((r) => r.id === roleId)) throw new Error(`fake Discord: no role ${roleId} in guild ${guildId}`);
    return this.#settle(() => {
      const held = member.roles.includes(roleId);
      if (has && !held) member.roles.push(roleId);
      if (!has && held) member.roles.splice(member.roles.indexOf(roleId), 1);
      this.#world.dispatch('GUILD_MEMBER_UPDATE', { guild_id: guildId, ...member });
    });
  }

  /** A person reacts (MESSAGE_REACTION_ADD), e.g. ✅ on the answer that solved a peer question. */
  async reactionAdd(input: { channelId: string; messageId: string; userId: string; emoji: string }): Promise<void> {
    const message = this.#world.message(input.channelId, input.messageId);
    return this.#settle(() => react(this.#world, message, input.emoji, input.userId));
  }

  /** A moderator changes a thread (THREAD_UPDATE): archive, lock, rename, retag. */
  async threadUpdate(threadId: string, patch: { name?: string; archived?: boolean; locked?: boolean; applied_tags?: string[] }): Promise<Json> {
    return this.#settle(() => ({ ...editChannel(this.#world, this.#world.channel(threadId), patch) }));
  }

  /**
   * A person edits their message (MESSAGE_UPDATE: the whole message, with `guild_id` and the
   * author's `member`, `edited_timestamp` now). Only the author may: Discord has no edit for others.
   */
  async messageUpdate(input: { channelId: string; messageId: string; authorId: string; content: string }): Promise<APIMessage> {
    const message = this.#world.message(input.channelId, input.messageId);
    if (message.author.id !== input.authorId)
      throw new Error(`fake Discord: ${input.authorId} cannot edit message ${message.id} by ${message.author.id}`);
    return this.#settle(() => structuredClone(personEdit(this.#world, message, input.content)));
  }

  /** Discord resolved a link's preview in a message: MESSAGE_UPDATE with `embeds`, content and `edited_timestamp` unchanged. */
  async embedsUpdate(input: { channelId: string; messageId: string; embeds: APIMessage['embeds'] }): Promise<APIMessage> {
    const message = this.#world.message(input.channelId, input.messageId);
    return this.#settle(() => structuredClone(embedsResolved(this.#world, message, input.embeds)));
  }

  /** The author or a moderator deletes a message (MESSAGE_DELETE: `{ id, channel_id, guild_id }`). */
  async messageDelete(input: { channelId: string; messageId: string }): Promise<void> {
    const message = this.#world.message(input.channelId, input.messageId);
    return this.#settle(() => deleteMessage(this.#world, message));
  }

  /** A post's author or a moderator deletes a thread / forum post (THREAD_DELETE: `{ id, guild_id, parent_id, type }`). */
  async threadDelete(threadId: string): Promise<void> {
    const thread = this.#world.channel(threadId);
    if (!this.#world.isThread(thread)) throw new Error(`fake Discord: ${threadId} is not a thread`);
    await this.#settle(() => deleteChannel(this.#world, thread));
  }

  /** Runs a state change and waits for the dispatches it caused to be written. */
  async #settle<T>(change: () => T): Promise<T> {
    this.#pending = [];
    let pending: Promise<number>[];
    let result: T;
    try {
      result = change();
    } finally {
      pending = this.#pending;
      this.#pending = undefined;
    }
    await Promise.all(pending);
    return result;
  }
}
