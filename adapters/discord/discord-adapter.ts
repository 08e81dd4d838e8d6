import { Client, Events, GatewayIntentBits, Partials, type Channel, type GuildMember, type Message, type PartialMessage } from 'discord.js';
import type { ChatAdapter, Inbound, Logger, Person, Place, Reply } from '../../src/ports.js';
import type { Intake } from '../../src/intake-port.js';
import { answerBody } from './answer.js';
import type { Surface } from '../../src/surface.js';

export { reactionNote, SOLUTION_EMOJI } from './reactions.js';
export { deliveryError } from './outbound.js';
import { DEFAULT_PEER_TAGS, isForum, placeIn, type PeerTags } from './forum.js';
import { followConversations } from './conversations.js';
import { followInteractions } from './interactions.js';
import { interactionAnswers } from './interaction-answers.js';
import { cardPosting, deliveryError, handleRoles, placesAndPeople } from './outbound.js';
import { followPeerEdits } from './peer-edits.js';
import { followSolutionReactions } from './reactions.js';

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

/** A person as the core knows them: their display name, and the platform groups (roles) the core cares about among theirs. */
function personOf(platformGroups: readonly string[]) {
  return (member: GuildMember | null | undefined, user: { id: string; username: string; globalName?: string | null }, guildId: string): Person => {
    const memberOf = (member ? [...member.roles.cache.keys()] : []).filter((r) => platformGroups.includes(r));
    return {
      platform: 'discord',
      space: guildId,
      id: user.id,
      name: member?.displayName ?? user.globalName ?? user.username,
      ...(memberOf.length > 0 ? { memberOf } : {}),
    };
  };
}

function newClient(options: Pick<DiscordAdapterOptions, 'apiUrl' | 'shards' | 'shardCount'>): Client {
  return new Client({
    intents: INTENTS,
    allowedMentions: { parse: [] },
    // A ✅ on a message sent before this process started (not cached) still arrives, as a partial to fetch.
    // A DM channel is not cached until something happens in it: its first message arrives with a partial channel.
    partials: [Partials.Message, Partials.Reaction, Partials.User, Partials.Channel],
    // The outbox owns retries and obeys Retry-After: the REST client only reports a 429.
    rest: {
      ...(options.apiUrl ? { api: options.apiUrl } : {}),
      retries: 0,
      rejectOnRateLimit: () => true,
      offset: 0,
    },
    // Which gateway shards this replica runs (TIERDESK_DISCORD_SHARDS, TIERDESK_DISCORD_SHARD_COUNT).
    ...(options.shards ? { shards: options.shards } : {}),
    ...(options.shardCount !== undefined ? { shardCount: options.shardCount } : {}),
  });
}

/** A configured peer channel that is not a forum tierdesk can see gets no questions: say so once, at start. */
async function checkPeerForums(client: Client, peerForums: ReadonlySet<string>, logger: Logger): Promise<void> {
  for (const id of peerForums) {
    const ch = await client.channels.fetch(id).catch(() => null);
    if (!ch) logger.warn('discord peer forum not found or not visible to the bot: no questions will come from it', { channel: id });
    else if (!isForum(ch)) logger.warn('discord peer channel is not a forum: only forum posts become questions', { channel: id, type: ch.type });
  }
}

/**
 * Discord through the real discord.js Client (gateway + REST). It only translates: interactions
 * and thread messages → Inbound events, cards → embeds and buttons. Interactions are answered or
 * deferred before any slow work.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): ChatAdapter {
  const client = newClient(options);
  const guilds = new Set(options.guilds);
  const peerForums = new Set(options.peerForums ?? []);
  const placeOf = (ch: Channel | null | undefined, channelId: string, guildId: string): Place => placeIn(ch, channelId, guildId, peerForums);
  const person = personOf(options.platformGroups);
  let deliver: ((event: Inbound) => Promise<Reply | void>) | undefined;
  let intake: Intake | undefined;

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

  const inbound = { guilds, peerForums, deliver: () => deliver, person, authorOf, logger: options.logger, now: options.now, placeOf, homeOf };
  // Interactions are answered on connections of their own, never behind cards (interaction-answers.ts).
  const answers = interactionAnswers(options.applicationId, options.apiUrl);
  // Interactions; messages in ticket threads, peer forum posts and DMs; the asker's ✅ on an answer.
  followInteractions(client, { ...inbound, options, intake: () => intake, answers });
  followConversations(client, inbound);
  followSolutionReactions(client, inbound);
  // Edits, renames and deletions in a peer forum: the question follows its post (the core decides how).
  followPeerEdits(client, inbound);
  client.on(Events.Error, (err) => options.logger.error('discord client error', { error: err.message }));

  const outbound = outboundOptions(options);
  return {
    platform: 'discord',
    async start(d, i) {
      deliver = d;
      intake = i;
      // A queued interaction's answer replaces its "queued" reply (the interaction's webhook, valid 15 minutes).
      intake?.answerLaterWith('discord', async (answerTo, reply) => {
        const { token } = JSON.parse(answerTo) as { token: string };
        await answers.editOriginal(token, { ...answerBody(reply), allowed_mentions: { parse: [] } });
      });
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.token);
      await ready;
      void checkPeerForums(client, peerForums, options.logger);
    },
    async stop() {
      deliver = undefined;
      await client.destroy();
      answers.close();
    },
    connected() {
      return client.isReady();
    },
    ...cardPosting(client, outbound),
    ...placesAndPeople(client, outbound),
    ...handleRoles(client),
  };
}

/** What the delivery side needs of the adapter's options: the same for the gateway adapter and the worker's. */
function outboundOptions(options: Pick<DiscordAdapterOptions, 'ticketsChannel' | 'peerTags' | 'logger'>) {
  return {
    ...(options.ticketsChannel ? { ticketsChannel: options.ticketsChannel } : {}),
    peerTags: options.peerTags ?? DEFAULT_PEER_TAGS,
    logger: options.logger,
  };
}

/**
 * Discord's delivery side alone (REST: cards, private threads, DMs, labels, roles), with no gateway
 * connection, for a deliverer that takes no events: the delivery worker of `tierdesk start`.
 */
export function createDiscordOutbound(
  options: Pick<DiscordAdapterOptions, 'token' | 'apiUrl' | 'guilds' | 'ticketsChannel' | 'peerTags' | 'logger'>,
): ChatAdapter {
  const client = newClient(options.apiUrl ? { apiUrl: options.apiUrl } : {});
  // REST only: the token is all it needs (login would open a gateway connection, and take events).
  client.rest.setToken(options.token);
  client.token = options.token;
  const outbound = outboundOptions(options);
  const guildsKnown = fetchedOnce(() => Promise.all(options.guilds.map((guild) => client.guilds.fetch({ guild, withCounts: false }))));
  return {
    platform: 'discord',
    async start() {},
    async stop() {
      await client.destroy();
    },
    ...afterwards(guildsKnown, { ...cardPosting(client, outbound), ...placesAndPeople(client, outbound) }),
  };
}

/**
 * `fetch` run once, and again after a failure (told as a delivery error, so the outbox retries):
 * a client that never logs in to the gateway has no guild in its cache, and discord.js neither
 * returns nor caches a channel of a guild it does not know (`channels.fetch` resolves null), so
 * without its guilds every card would be refused as "not a text channel".
 */
function fetchedOnce(fetch: () => Promise<unknown>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () =>
    (done ??= fetch().then(
      () => undefined,
      (err: unknown) => {
        done = undefined;
        throw deliveryError(err);
      },
    ));
}

/** Each method, run once `ready` has resolved. */
function afterwards<T extends Record<string, (...args: never[]) => Promise<unknown>>>(ready: () => Promise<void>, methods: T): T {
  const wrapped = Object.entries(methods).map(([name, method]) => [
    name,
    async (...args: never[]) => {
      await ready();
      return method(...args);
    },
  ]);
  return Object.fromEntries(wrapped) as T;
}
