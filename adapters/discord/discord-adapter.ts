import {
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  RateLimitError,
  Routes,
  type Channel,
  type GuildMember,
  type Message,
  type MessageCreateOptions,
  type MessageReaction,
  type PartialMessage,
  type PartialMessageReaction,
  type PartialUser,
  type TextBasedChannel,
  type User,
} from 'discord.js';

type Sendable = { id: string; send: (o: MessageCreateOptions) => Promise<Message> };
import type { Card, ChatAdapter, Inbound, Logger, Person, Place, Reply, ThreadLabel } from '../../src/ports.js';
import { PermanentDeliveryError, RateLimitedError } from '../../src/ports.js';
import type { Surface } from '../../src/surface.js';

export { reactionNote, SOLUTION_EMOJI } from './reactions.js';
import { DEFAULT_PEER_TAGS, ensureTag, isForum, labelPost, placeIn, type PeerTags } from './forum.js';
import { followConversations } from './conversations.js';
import { handleInteraction } from './interactions.js';
import { followPeerEdits } from './peer-edits.js';
import { followSolutionReactions } from './reactions.js';
import { cut, renderCard } from './render.js';

export interface DiscordAdapterOptions {
  token: string;
  applicationId: string;
  /** REST base URL (`…/api`); the gateway URL is discovered through it. Default Discord's. */
  apiUrl?: string;
  /** Guilds tierdesk serves; events from others are ignored. */
  guilds: string[];
  /** The text channel in which each ticket's private thread is created. */
  ticketsChannel?: string;
  /** What tierdesk offers on Discord (commands, sub-commands, buttons, message actions), from the catalogue. */
  surface: Surface;
  /** Role ids the core cares about (tier roles, customer groups). */
  platformGroups: string[];
  /** Peer-support forum channels (config `peer.channels.discord`): each post is a question. */
  peerForums?: string[];
  /** The forum tags tierdesk manages on questions (config `peer.tags`); default Open and Solved. */
  peerTags?: PeerTags;
  logger: Logger;
  now: () => number;
  /** Gateway shards this process connects (replicas split them); default every shard of `shardCount`. */
  shards?: number[];
  /** Shards across every replica; default 1. */
  shardCount?: number;
}

/**
 * The fewest intents that work: Guilds (interactions, channels, threads, forum posts, their
 * renames and deletions), GuildMessages (messages in ticket threads and peer forum posts, their
 * edits and deletions), GuildMessageReactions (the asker's ✅ that marks a solution) and
 * MessageContent (privileged: without it those messages arrive empty, and nothing could be
 * relayed), DirectMessages (what a person writes to tierdesk in their DM). Members' roles arrive
 * with each interaction, message and reaction.
 */
export const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
];

/** Discord failures → the dispatcher's vocabulary. */
export function deliveryError(err: unknown): Error {
  if (err instanceof RateLimitError) return new RateLimitedError(Math.max(1, err.retryAfter), err.global);
  if (err instanceof DiscordAPIError && [400, 403, 404].includes(err.status))
    return new PermanentDeliveryError(`discord: ${err.status} ${err.message}`);
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Discord through the real discord.js Client (gateway + REST). It only translates: interactions
 * and thread messages → Inbound events, cards → embeds and buttons. Interactions are answered or
 * deferred before any slow work.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): ChatAdapter {
  const client = new Client({
    intents: INTENTS,
    allowedMentions: { parse: [] },
    // A ✅ on a message sent before this process started (not cached) still arrives, as a partial to fetch.
    // A DM channel is not cached until something happens in it: its first message arrives with a partial channel.
    partials: [Partials.Message, Partials.Reaction, Partials.User, Partials.Channel],
    // The outbox owns retries and obeys Retry-After: the REST client only reports a 429.
    rest: { ...(options.apiUrl ? { api: options.apiUrl } : {}), retries: 0, rejectOnRateLimit: () => true, offset: 0 },
    // Which gateway shards this replica runs (TIERDESK_DISCORD_SHARDS, TIERDESK_DISCORD_SHARD_COUNT).
    ...(options.shards ? { shards: options.shards } : {}),
    ...(options.shardCount !== undefined ? { shardCount: options.shardCount } : {}),
  });
  const guilds = new Set(options.guilds);
  const peerForums = new Set(options.peerForums ?? []);
  const peerTags = options.peerTags ?? DEFAULT_PEER_TAGS;
  const placeOf = (ch: Channel | null | undefined, channelId: string, guildId: string): Place => placeIn(ch, channelId, guildId, peerForums);

  function person(
    member: GuildMember | null | undefined,
    user: { id: string; username: string; globalName?: string | null },
    guildId: string,
  ): Person {
    const roles = member ? [...member.roles.cache.keys()] : [];
    const memberOf = roles.filter((r) => options.platformGroups.includes(r));
    return {
      platform: 'discord',
      space: guildId,
      id: user.id,
      name: member?.displayName ?? user.globalName ?? user.username,
      ...(memberOf.length > 0 ? { memberOf } : {}),
    };
  }

  async function channel(id: string): Promise<TextBasedChannel & { id: string }> {
    const ch = await client.channels.fetch(id);
    if (!ch || !ch.isTextBased()) throw new PermanentDeliveryError(`discord: channel ${id} is not a text channel tierdesk can see`);
    return ch as TextBasedChannel & { id: string };
  }

  /** A forum post (a thread) by id. */
  async function forumPost(id: string): Promise<TextBasedChannel & { id: string }> {
    const thread = await client.channels.fetch(id);
    if (!thread?.isThread()) throw new PermanentDeliveryError(`discord: forum post ${id} is not a thread tierdesk can see`);
    return thread;
  }

  /** Where a message for `place` goes: the channel, a forum post, or the thread under a message (created on first use). */
  async function target(place: Place): Promise<Sendable> {
    const raw = await client.channels.fetch(place.channel);
    // A forum holds no messages: a place in it is one of its posts.
    if (isForum(raw) && place.thread !== undefined) return (await forumPost(place.thread)) as unknown as Sendable;
    const ch = await channel(place.channel);
    if (place.thread === undefined || ch.isThread()) return ch as unknown as Sendable;
    const existing = await client.channels.fetch(place.thread).catch(() => null);
    if (existing?.isThread()) return existing as unknown as Sendable;
    if (!('messages' in ch)) throw new PermanentDeliveryError(`discord: cannot open a thread in ${place.channel}`);
    const parent = await ch.messages.fetch(place.thread);
    const title = parent.embeds[0]?.title ?? parent.content ?? 'ticket';
    return (await parent.startThread({ name: title.slice(0, 100) || 'ticket' })) as unknown as Sendable;
  }

  let deliver: ((event: Inbound) => Promise<Reply | void>) | undefined;

  /** Who wrote a message: their member (roles, nickname) from the cache, else fetched; the bare user if they left. */
  async function authorOf(message: Message | PartialMessage): Promise<Person> {
    const full = message.partial ? await message.fetch() : message;
    const guildId = full.guildId ?? '';
    const guild = full.guild ?? client.guilds.cache.get(guildId);
    const member = full.member ?? (full.webhookId ? null : await guild?.members.fetch(full.author.id).catch(() => null));
    return person(member, full.author, guildId);
  }

  /** The served guild a person belongs to (their member there, for roles): what they do in a DM counts there. */
  async function homeOf(userId: string): Promise<{ space: string; member: GuildMember | null }> {
    for (const id of guilds) {
      const guild = client.guilds.cache.get(id);
      const member = guild ? (guild.members.cache.get(userId) ?? (await guild.members.fetch(userId).catch(() => null))) : null;
      if (member) return { space: id, member };
    }
    return { space: options.guilds[0] ?? '', member: null };
  }

  client.on(Events.InteractionCreate, (interaction) => {
    if (!deliver) return;
    // Buttons on a DM tierdesk sent (a page, a DM's answer) come without a guild; everything else must come from a served guild.
    const dmButton = !interaction.guildId && interaction.isButton();
    if (!dmButton && (!interaction.guildId || !guilds.has(interaction.guildId))) {
      // Say so rather than let Discord show "This interaction failed".
      if (interaction.isRepliable())
        void interaction.reply({ content: 'tierdesk does not serve this server.', flags: MessageFlags.Ephemeral }).catch(() => undefined);
      return;
    }
    const d = deliver;
    void (async () => {
      const home = interaction.guildId
        ? { space: interaction.guildId, member: interaction.member as GuildMember | null }
        : await homeOf(interaction.user.id);
      const from = person(home.member, interaction.user, home.space);
      await handleInteraction(interaction, { ...options, deliver: d, from, placeOf, authorOf }, home.space);
    })().catch((err) => options.logger.error('discord interaction failed', { error: (err as Error).message }));
  });

  const inbound = { guilds, peerForums, deliver: () => deliver, person, authorOf, logger: options.logger, now: options.now, placeOf };
  // Messages in ticket threads, peer forum posts and DMs; the asker's ✅ on an answer.
  followConversations(client, { ...inbound, homeOf });
  followSolutionReactions(client, inbound);
  // Edits, renames and deletions in a peer forum: the question follows its post (the core decides how).
  followPeerEdits(client, inbound);

  /** A configured peer channel that is not a forum tierdesk can see gets no questions: say so once, at start. */
  async function checkPeerForums(): Promise<void> {
    for (const id of peerForums) {
      const ch = await client.channels.fetch(id).catch(() => null);
      if (!ch) options.logger.warn('discord peer forum not found or not visible to the bot: no questions will come from it', { channel: id });
      else if (!isForum(ch))
        options.logger.warn('discord peer channel is not a forum: only forum posts become questions', { channel: id, type: ch.type });
    }
  }

  client.on(Events.Error, (err) => options.logger.error('discord client error', { error: err.message }));

  return {
    platform: 'discord',
    async start(d) {
      deliver = d;
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.token);
      await ready;
      void checkPeerForums();
    },
    async stop() {
      deliver = undefined;
      await client.destroy();
    },
    connected() {
      return client.isReady();
    },
    async post(place: Place, card: Card) {
      try {
        const forum = place.thread === undefined ? await client.channels.fetch(place.channel) : null;
        if (isForum(forum)) {
          // A forum takes posts, not messages: the card opens a new post (a question), tagged Open.
          const open = await ensureTag(forum, peerTags.open, options.logger);
          const thread = await forum.threads.create({
            name: card.title.slice(0, 100) || 'Question',
            message: renderCard(card),
            ...(open ? { appliedTags: [open] } : {}),
          });
          return { messageId: thread.id, place: { platform: 'discord', space: place.space, channel: forum.id } };
        }
        const ch = await target(place);
        const sent = await ch.send(renderCard(card));
        return { messageId: sent.id, place: { platform: 'discord', space: place.space, channel: sent.channelId } };
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async edit(place: Place, messageId: string, card: Card) {
      try {
        // In a forum, a message lives in a post: the post's starter message has the post's id.
        const raw = await client.channels.fetch(place.channel);
        const ch = isForum(raw) ? await forumPost(place.thread ?? messageId) : await channel(place.channel);
        const { content, embeds, components, allowedMentions } = renderCard(card);
        await ch.messages.edit(messageId, {
          ...(content !== undefined ? { content } : {}),
          embeds: embeds ?? [],
          components: components ?? [],
          ...(allowedMentions ? { allowedMentions } : {}),
        });
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async openDirect(p: Person) {
      try {
        const dm = await client.users.createDM(p.id);
        return { platform: 'discord', space: p.space, channel: dm.id };
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async openPrivateThread(p: Person, title: string) {
      if (!options.ticketsChannel) return this.openDirect(p);
      try {
        const parent = await client.channels.fetch(options.ticketsChannel);
        if (!parent || parent.type !== ChannelType.GuildText)
          throw new PermanentDeliveryError(`discord: tickets channel ${options.ticketsChannel} is not a text channel`);
        const thread = await parent.threads.create({
          name: title.slice(0, 100),
          type: ChannelType.PrivateThread,
          invitable: false,
          autoArchiveDuration: 10080,
        });
        await thread.members.add(p.id);
        return { platform: 'discord', space: p.space, channel: thread.id };
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async labelThread(place: Place, label: ThreadLabel) {
      const id = place.thread;
      if (id === undefined) return;
      try {
        // Fresh state: a moderator may have retagged, archived or locked the post since.
        const thread = await client.channels.fetch(id, { force: true });
        if (!thread?.isThread()) throw new PermanentDeliveryError(`discord: ${id} is not a forum post tierdesk can see`);
        const parent = thread.parentId ? await client.channels.fetch(thread.parentId, { force: true }) : null;
        await labelPost(thread, parent, label, peerTags, options.logger);
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async grantGroup(p: Person, role: string) {
      if (p.platform !== 'discord' || !/^\d{15,21}$/.test(role)) return;
      try {
        await client.rest.put(Routes.guildMemberRole(p.space, p.id, role), { reason: 'tierdesk: helper points threshold reached' });
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async addMembers(place: Place, people: Person[]) {
      try {
        // A private ticket thread is the place's channel; a forum post is its thread.
        let ch = await client.channels.fetch(place.channel);
        if (!ch?.isThread() && place.thread !== undefined) ch = await client.channels.fetch(place.thread);
        if (!ch?.isThread()) return;
        for (const p of people) if (p.platform === 'discord') await ch.members.add(p.id);
      } catch (err) {
        throw deliveryError(err);
      }
    },
  };
}
