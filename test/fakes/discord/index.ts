import type { APIUser, RESTOptions } from 'discord.js';
import { FakeDiscordGateway } from './gateway.js';
import type { InteractionContext } from './interaction-payloads.js';
import { user, type FakeGuild } from './payloads.js';
import { FakeDiscordRest } from './rest.js';
import { FakeDiscordOAuth, type OAuthClient } from './oauth2.js';
import { appRoutes } from './routes-app.js';
import { channelRoutes } from './routes-channels.js';
import { DiscordWorld } from './world.js';

export type { GatewayConnection, GatewaySession, ReceivedFrame } from './gateway.js';
export type { CallMatch, RecordedCall, RestFault } from './rest.js';
export type { InteractionRecord } from './world.js';
export * from './payloads.js';
export { FakeDiscordGateway, FakeDiscordRest, DiscordWorld };

export interface FakeDiscordOptions {
  /** The only bot token REST (`Authorization: Bot …`) and IDENTIFY accept; others get 401 / close 4004. */
  token: string;
  /** The application id; also the bot user's id unless `bot` says otherwise (as for modern Discord apps). */
  applicationId: string;
  guilds: FakeGuild[];
  /** The fake's clock (epoch ms): snowflakes, timestamps, the 3 s interaction window, the 15 min token life. */
  now?: () => number;
  bot?: APIUser;
  /** Shards `GET /gateway/bot` recommends (used when the Client is given no `shardCount`). Default 1. */
  shards?: number;
  /** Privileged intents switched on for the app (GuildMembers, GuildPresences, MessageContent); default all. */
  privilegedIntents?: number;
  /** The permissions of the bot's managed role in every guild; default `BOT_PERMISSIONS` of world.ts. */
  botPermissions?: bigint;
  /** OAuth2 client id and secret for sign-in with Discord (`oauth.consentAs(user)` picks who signs in). */
  oauth?: OAuthClient;
}

export interface FakeDiscord {
  /** OAuth2: `consentAs(userId)` grants the next authorization as that user. */
  oauth: FakeDiscordOAuth;
  /** `http://127.0.0.1:PORT/api`: the Client's `rest.api` (what `DISCORD_API_URL` sets). */
  apiUrl: string;
  rest: FakeDiscordRest;
  gateway: FakeDiscordGateway;
  /** The fake's state: guilds, channels, messages (`world.messagesIn(id)`), threads, commands, interactions. */
  world: DiscordWorld;
  ids: { applicationId: string; botUserId: string; guildIds: string[] };
  /** Who does what where, for the interaction builders: `chatInputCommand(discord.context({ channel, user }), …)`. */
  context(input: { channel: string; user: string }): InteractionContext;
  /**
   * REST options for a Client whose caller owns retries (tierdesk's outbox): the fake's URL, no
   * automatic 5xx retries, a 429 thrown as `RateLimitError` instead of slept on, no extra offset.
   */
  restOptions(): Partial<RESTOptions>;
  /** Closes both servers (dropping gateway sockets) and rejects waiters that never matched. Idempotent. */
  stop(): Promise<void>;
}

/**
 * A local Discord that speaks Discord's wire protocols, for running the real discord.js `Client`
 * against it over loopback: REST under `${apiUrl}/v10` and the gateway that `GET /gateway/bot` points
 * to. The Client finds the gateway through REST, so `rest.api` is the only address it needs.
 *
 * ```ts
 * const discord = await startFakeDiscord({ token: 'fake-token', applicationId: APP, guilds: [guild({ name: 'Help', owner: alice, channels: [desk] })] });
 * const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent], rest: { api: discord.apiUrl } });
 * const ready = once(client, Events.ClientReady);    // 'ready' still works but is deprecated in 14.2x
 * await client.login('fake-token');                   // resolves on READY, in tens of milliseconds on loopback
 * await ready;                                        // after the GUILD_CREATEs: the cache is filled
 * await discord.gateway.interactionCreate(chatInputCommand(discord.context({ channel: desk.id, user: alice.id }), { name: 'ticket', subcommand: 'new', options: { title: 'Printer on fire' } }));
 * const callback = await discord.rest.waitForCall('POST /interactions/:interaction/:token/callback');
 * await client.destroy(); await discord.stop();
 * ```
 *
 * Login is a handful of loopback round trips, tens of milliseconds: one `GET /gateway/bot` (cached
 * for `reset_after`), the WebSocket upgrade, HELLO, IDENTIFY, READY, a GUILD_CREATE per guild. The fake
 * sends `heartbeat_interval` of one hour, so no heartbeat timer fires in a test, and
 * `max_concurrency` 16, so several shards identify at once instead of 5 s apart.
 *
 * Realism that bites: the gateway honours intents (no Guilds → no GUILD_CREATE, so the client is
 * ready at once with no guild, channel or thread cached; no MessageContent → other people's guild
 * messages arrive with empty content; no GuildPresences → GUILD_CREATE lists only the bot as
 * member, fetch others over REST; privileged intents not switched on → close 4014, login rejects);
 * the bot's own posts come back as MESSAGE_CREATE; an interaction must be answered within 3 s of
 * `interactionCreate` on the fake clock, once (`10062`, `40060` otherwise); Discord's limits are
 * enforced as `50035 Invalid Form Body`; unknown routes answer 404 and show in `rest.unhandled`.
 *
 * Forums (type 15, `forumChannel`) hold posts: `POST /channels/{forum}/threads` with `message` makes a
 * public thread whose starter message has the thread's id, `gateway.forumPost` is a person doing the
 * same. `PATCH /channels/{id}` changes a forum's `available_tags` (at most 20; needs Manage
 * Channels) and a post's `applied_tags` (at most 5 of its forum's), `archived` and `locked`; a
 * locked post takes messages only from those who may manage threads. `gateway.reactionAdd` is
 * MESSAGE_REACTION_ADD (GuildMessageReactions intent), `gateway.channelCreate` / `roleCreate` are a
 * moderator adding a forum or a role, `PUT /guilds/{g}/members/{u}/roles/{r}` grants a role (Manage
 * Roles, and a role below the bot's), `messageCommand` builds a message context-menu interaction.
 *
 * Edits and deletions as Discord sends them: `gateway.messageUpdate` (a person edits their message:
 * MESSAGE_UPDATE with the whole message, `member` and a new `edited_timestamp`), `embedsUpdate` (a
 * link preview resolved: content and `edited_timestamp` unchanged), `messageDelete` (MESSAGE_DELETE
 * `{ id, channel_id, guild_id }`), `threadUpdate` (THREAD_UPDATE: the whole thread, e.g. renamed) and
 * `threadDelete` (THREAD_DELETE `{ id, guild_id, parent_id, type }`; the messages go with it, with no
 * MESSAGE_DELETE each). `DELETE /channels/{id}` does the same for the bot.
 *
 * DMs: `POST /users/@me/channels` opens (once per user) the DM channel the bot writes to
 * (`world.dms`); a user in `world.closedDms` refuses the bot's DMs as Discord does, with
 * `403 50007 Cannot send messages to this user` on the message, not on opening the channel.
 */
export async function startFakeDiscord(options: FakeDiscordOptions): Promise<FakeDiscord> {
  const now = options.now ?? Date.now;
  const bot = options.bot ?? user({ id: options.applicationId, username: 'tierdesk', bot: true });
  const world = new DiscordWorld({
    applicationId: options.applicationId,
    bot,
    guilds: options.guilds,
    now,
    ...(options.botPermissions !== undefined ? { botPermissions: options.botPermissions } : {}),
  });
  const gateway = await FakeDiscordGateway.start({
    world,
    token: options.token,
    ...(options.privilegedIntents !== undefined ? { privilegedIntents: options.privilegedIntents } : {}),
  });
  const gatewayInfo = () => ({ url: gateway.url, shards: options.shards ?? 1, maxConcurrency: 16 });
  const oauth = new FakeDiscordOAuth(world, options.oauth);
  const rest = await FakeDiscordRest.start({ world, token: options.token, routes: [...channelRoutes, ...appRoutes(gatewayInfo)], oauth });
  let stopped: Promise<void> | undefined;
  return {
    apiUrl: rest.apiUrl,
    oauth,
    rest,
    gateway,
    world,
    ids: { applicationId: options.applicationId, botUserId: bot.id, guildIds: [...world.guilds.keys()] },
    context: ({ channel, user: userId }) => {
      const place = world.channel(channel);
      const guildId = String(place.guild_id);
      return {
        applicationId: options.applicationId,
        guildId,
        channel: place,
        member: world.member(guildId, userId),
        permissions: String(world.permissionsOf(guildId, userId)),
        appPermissions: String(world.permissionsOf(guildId, bot.id)),
        newId: () => world.ids.next(),
      };
    },
    restOptions: () => ({ api: rest.apiUrl, retries: 0, rejectOnRateLimit: () => true, offset: 0 }),
    stop: () => (stopped ??= Promise.all([gateway.stop(), rest.stop()]).then(() => undefined)),
  };
}
