import {
  ChannelType, Client, DiscordAPIError, Events, GatewayIntentBits, MessageFlags, RateLimitError,
  type GuildMember, type Message, type MessageCreateOptions, type TextBasedChannel,
} from 'discord.js';

type Sendable = { id: string; send: (o: MessageCreateOptions) => Promise<Message> };
import type { Card, ChatAdapter, Inbound, Logger, Person, Place, Reply } from '../../src/ports.js';
import { PermanentDeliveryError, RateLimitedError } from '../../src/ports.js';
import { handleInteraction } from './interactions.js';
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
  tiers: Array<{ id: string; name: string }>;
  defaults: { urgency: string; impact: string };
  /** Role ids the core cares about (tier roles, customer groups). */
  platformGroups: string[];
  logger: Logger;
  now: () => number;
}

/**
 * The fewest intents that work: Guilds (interactions, channels, threads), GuildMessages (messages
 * in ticket threads) and MessageContent (privileged: without it those messages arrive empty, and
 * nothing could be relayed). Members' roles arrive with each interaction and message.
 */
export const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];

/** Discord failures → the dispatcher's vocabulary. */
export function deliveryError(err: unknown): Error {
  if (err instanceof RateLimitError) return new RateLimitedError(Math.max(1, err.retryAfter), err.global);
  if (err instanceof DiscordAPIError && [400, 403, 404].includes(err.status)) return new PermanentDeliveryError(`discord: ${err.status} ${err.message}`);
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
    // The outbox owns retries and obeys Retry-After: the REST client only reports a 429.
    rest: { ...(options.apiUrl ? { api: options.apiUrl } : {}), retries: 0, rejectOnRateLimit: () => true, offset: 0 },
  });
  const guilds = new Set(options.guilds);

  function person(member: GuildMember | null | undefined, user: { id: string; username: string; globalName?: string | null }, guildId: string): Person {
    const roles = member ? [...member.roles.cache.keys()] : [];
    const memberOf = roles.filter((r) => options.platformGroups.includes(r));
    return { platform: 'discord', space: guildId, id: user.id, name: member?.displayName ?? user.globalName ?? user.username, ...(memberOf.length > 0 ? { memberOf } : {}) };
  }

  async function channel(id: string): Promise<TextBasedChannel & { id: string }> {
    const ch = await client.channels.fetch(id);
    if (!ch || !ch.isTextBased()) throw new PermanentDeliveryError(`discord: channel ${id} is not a text channel tierdesk can see`);
    return ch as TextBasedChannel & { id: string };
  }

  /** Where a message for `place` goes: the channel, or the thread under a message (created on first use). */
  async function target(place: Place): Promise<Sendable> {
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

  client.on(Events.InteractionCreate, (interaction) => {
    if (!deliver) return;
    // Buttons on a DM tierdesk sent (a page) come without a guild; everything else must come from a served guild.
    const dmButton = !interaction.guildId && interaction.isButton();
    if (!dmButton && (!interaction.guildId || !guilds.has(interaction.guildId))) {
      // Say so rather than let Discord show "This interaction failed".
      if (interaction.isRepliable()) void interaction.reply({ content: 'tierdesk does not serve this server.', flags: MessageFlags.Ephemeral }).catch(() => undefined);
      return;
    }
    const from = person(interaction.member as GuildMember | null, interaction.user, interaction.guildId ?? '');
    void handleInteraction(interaction, { ...options, deliver, from }).catch((err) => options.logger.error('discord interaction failed', { error: (err as Error).message }));
  });

  client.on(Events.MessageCreate, (message: Message) => {
    if (!deliver || message.author.bot || !message.guildId || !guilds.has(message.guildId) || !message.channel.isThread()) return;
    const from = person(message.member, message.author, message.guildId);
    void deliver({
      kind: 'message', text: message.content, key: `discord:message:${message.id}`, at: message.createdTimestamp, from,
      place: { platform: 'discord', space: message.guildId, channel: message.channelId },
    })
      .then(async (reply) => {
        if (!reply) return;
        // Others read this thread: an acknowledgement is a reaction; only a refusal is written out.
        if (reply.quiet) await message.react('✅');
        else await message.reply({ content: cut(reply.text, 2000, 'see /ticket show'), allowedMentions: { parse: [] } });
      })
      .catch((err) => options.logger.error('discord message failed', { error: (err as Error).message }));
  });

  client.on(Events.Error, (err) => options.logger.error('discord client error', { error: err.message }));

  return {
    platform: 'discord',
    async start(d) {
      deliver = d;
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.token);
      await ready;
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
        const ch = await target(place);
        const sent = await ch.send(renderCard(card));
        return { messageId: sent.id, place: { platform: 'discord', space: place.space, channel: sent.channelId } };
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async edit(place: Place, messageId: string, card: Card) {
      try {
        const ch = await channel(place.channel);
        const { embeds, components, allowedMentions } = renderCard(card);
        await ch.messages.edit(messageId, { embeds: embeds ?? [], components: components ?? [], ...(allowedMentions ? { allowedMentions } : {}) });
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
        if (!parent || parent.type !== ChannelType.GuildText) throw new PermanentDeliveryError(`discord: tickets channel ${options.ticketsChannel} is not a text channel`);
        const thread = await parent.threads.create({ name: title.slice(0, 100), type: ChannelType.PrivateThread, invitable: false, autoArchiveDuration: 10080 });
        await thread.members.add(p.id);
        return { platform: 'discord', space: p.space, channel: thread.id };
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async addMembers(place: Place, people: Person[]) {
      try {
        const ch = await client.channels.fetch(place.channel);
        if (!ch?.isThread()) return;
        for (const p of people) if (p.platform === 'discord') await ch.members.add(p.id);
      } catch (err) {
        throw deliveryError(err);
      }
    },
  };
}
