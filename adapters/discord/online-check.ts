/**
 * `tierdesk check --online` for Discord, over discord.js's REST client: the token (`GET /users/@me`),
 * the bot's presence in each configured server, each configured channel (`GET /channels/{id}`: 403
 * when the bot cannot see it) and what the bot may do there (its roles' permissions with the channel's
 * overwrites, Discord's documented computation), and the roles the configuration names. One line each.
 */
import {
  DiscordAPIError,
  PermissionFlagsBits,
  PermissionsBitField,
  REST,
  Routes,
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIRole,
  type APIUser,
  type PermissionsString,
} from 'discord.js';
import type { ChannelRef, ChannelUse, CheckLine, GroupRef, PlatformRefs } from '../../src/cli/check-online.js';
import { unreachable } from '../../src/cli/check-online.js';
import type { DiscordSecrets } from '../../src/config/config.js';

const DEFAULT_API_URL = 'https://discord.com/api';
const F = PermissionFlagsBits;

/** What tierdesk does in a channel of each use, as permissions. */
const NEEDS: Record<ChannelUse, bigint[]> = {
  // Ticket cards (embeds with buttons), and the thread under a card for the conversation.
  tier: [F.ViewChannel, F.SendMessages, F.EmbedLinks, F.ReadMessageHistory, F.CreatePublicThreads, F.SendMessagesInThreads],
  // A private thread per ticket with its requester (cards are embeds), people added to it, archived when closed.
  tickets: [F.ViewChannel, F.SendMessages, F.EmbedLinks, F.CreatePrivateThreads, F.SendMessagesInThreads, F.ManageThreads],
  // Forum posts answered (embeds), labelled with tags, locked when solved.
  peer: [F.ViewChannel, F.SendMessages, F.EmbedLinks, F.SendMessagesInThreads, F.ReadMessageHistory, F.ManageThreads],
  // The transcript file, with an embed saying what it is.
  transcripts: [F.ViewChannel, F.SendMessages, F.EmbedLinks, F.AttachFiles],
  reactions: [F.ViewChannel, F.ReadMessageHistory],
};

interface Server {
  guild: APIGuild;
  roles: APIRole[];
  bot: APIGuildMember;
}

const named = (where: string[]) => where.join(', ');
/** `ManageThreads` → `Manage Threads`. */
const words = (flag: PermissionsString) => flag.replace(/([a-z])([A-Z])/g, '$1 $2');

export async function checkDiscordOnline(secrets: DiscordSecrets, guildIds: string[], refs: PlatformRefs): Promise<CheckLine[]> {
  const apiUrl = secrets.apiUrl ?? DEFAULT_API_URL;
  const rest = new REST({ api: apiUrl, retries: 0, timeout: 15_000, rejectOnRateLimit: () => true, handlerSweepInterval: 0, hashSweepInterval: 0 });
  rest.setToken(secrets.token);
  let me: APIUser;
  try {
    me = (await rest.get(Routes.user('@me'))) as APIUser;
  } catch (err) {
    if (!(err instanceof DiscordAPIError)) return [unreachable('Discord', apiUrl, err, 'check the network, a proxy, or DISCORD_API_URL')];
    return [
      {
        ok: false,
        text: `Discord: DISCORD_TOKEN is refused (${err.status} ${err.message}): reset the token under Developer Portal → Bot and set DISCORD_TOKEN again`,
      },
    ];
  }
  const lines: CheckLine[] = [{ ok: true, text: `Discord: the bot token works (bot ${me.username}, id ${me.id})` }];
  const servers = new Map<string, Server>();
  for (const id of guildIds) {
    try {
      const [guild, roles, bot] = await Promise.all([
        rest.get(Routes.guild(id)) as Promise<APIGuild>,
        rest.get(Routes.guildRoles(id)) as Promise<APIRole[]>,
        rest.get(Routes.guildMember(id, me.id)) as Promise<APIGuildMember>,
      ]);
      servers.set(id, { guild, roles, bot });
      lines.push({ ok: true, text: `Discord: the bot is in server "${guild.name}" (${id})` });
    } catch (err) {
      if (!(err instanceof DiscordAPIError)) return [...lines, unreachable('Discord', apiUrl, err, 'check the network or DISCORD_API_URL')];
      const invite = `https://discord.com/oauth2/authorize?client_id=${secrets.applicationId}&scope=bot%20applications.commands`;
      lines.push({ ok: false, text: `Discord: the bot is not in server ${id} (discord.guilds): invite it with ${invite}` });
    }
  }
  for (const ref of refs.channels) lines.push(await channelLine(rest, ref, servers, me.id));
  for (const g of refs.groups) lines.push(roleLine(g, servers, me.id));
  return lines;
}

/**
 * A configured role exists; one tierdesk gives (helper role, on-call handle) also needs Manage Roles and the
 * bot's highest role above it: Discord lets a member manage only roles below their own highest.
 */
function roleLine(g: GroupRef, servers: Map<string, Server>, botId: string): CheckLine {
  const found = [...servers.values()].find((s) => s.roles.some((r) => r.id === g.id));
  const role = found?.roles.find((r) => r.id === g.id);
  if (!found || !role)
    return {
      ok: false,
      text: `Discord: role ${g.id} (${named(g.where)}) is in no configured server: check the id (Server Settings → Roles → Copy Role ID)`,
    };
  const name = `@${role.name} (${g.id}, ${named(g.where)})`;
  if (!g.given) return { ok: true, text: `Discord: role ${name} exists in "${found.guild.name}"` };
  if (role.managed) return { ok: false, text: `Discord: role ${name} belongs to an integration, so nobody can give it: pick a role of your own` };
  if (found.guild.owner_id === botId) return { ok: true, text: `Discord: the bot can give role ${name}` };
  const mine = found.roles.filter((r) => r.id === found.guild.id || found.bot.roles.includes(r.id));
  const bits = mine.reduce((acc, r) => acc | BigInt(r.permissions), 0n);
  if (!(bits & F.Administrator) && !(bits & F.ManageRoles))
    return { ok: false, text: `Discord: the bot cannot give role ${name}: grant Manage Roles to its role (Server Settings → Roles)` };
  const top = Math.max(...found.roles.filter((r) => found.bot.roles.includes(r.id)).map((r) => r.position), 0);
  if (top <= role.position)
    return {
      ok: false,
      text: `Discord: the bot cannot give role ${name}: its highest role is not above it; drag the bot's role above @${role.name} (Server Settings → Roles)`,
    };
  return { ok: true, text: `Discord: the bot can give role ${name}` };
}

async function channelLine(rest: REST, ref: ChannelRef, servers: Map<string, Server>, botId: string): Promise<CheckLine> {
  const what = `${ref.id}, ${named(ref.where)}`;
  let channel: APIChannel & { guild_id?: string; name?: string; permission_overwrites?: Overwrite[] };
  try {
    channel = (await rest.get(Routes.channel(ref.id))) as typeof channel;
  } catch (err) {
    if (err instanceof DiscordAPIError && (err.status === 403 || err.code === 50001))
      return { ok: false, text: `Discord: the bot cannot see channel ${what}: give its role View Channel there` };
    if (err instanceof DiscordAPIError && err.status === 404) return { ok: false, text: `Discord: there is no channel ${what}: check the id` };
    return { ok: false, text: `Discord: could not look at channel ${what}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const label = channel.name ? `#${channel.name} (${what})` : `channel ${what}`;
  const server = channel.guild_id ? servers.get(channel.guild_id) : undefined;
  if (!server) return { ok: false, text: `Discord: ${label} is in a server not listed in discord.guilds: add the server, or pick a channel in one` };
  const held = channelPermissions(server, botId, channel.permission_overwrites ?? []);
  const needed = ref.uses.flatMap((u) => NEEDS[u]).reduce((all, bit) => all | bit, 0n);
  const missing = new PermissionsBitField(needed & ~held).toArray();
  if (missing.length === 0) return { ok: true, text: `Discord: the bot can do what tierdesk needs in ${label}` };
  const list = missing.map(words).join(', ');
  return {
    ok: false,
    text: `Discord: in ${label} the bot lacks ${list}: grant ${list} to its role (Server Settings → Roles) or in the channel's permissions`,
  };
}

interface Overwrite {
  id: string;
  type: number;
  allow: string;
  deny: string;
}

/**
 * Discord's computation: @everyone and the member's roles, all for the owner or an Administrator;
 * then the channel's @everyone overwrite, its role overwrites together, the member's own overwrite.
 */
function channelPermissions(server: Server, memberId: string, overwrites: Overwrite[]): bigint {
  const all = new PermissionsBitField(PermissionsBitField.All).bitfield;
  if (server.guild.owner_id === memberId) return all;
  const held = new Set([server.guild.id, ...server.bot.roles]);
  let bits = server.roles.filter((r) => held.has(r.id)).reduce((acc, r) => acc | BigInt(r.permissions), 0n);
  if (bits & F.Administrator) return all;
  const apply = (o: Overwrite | undefined) => {
    if (o) bits = (bits & ~BigInt(o.deny)) | BigInt(o.allow);
  };
  apply(overwrites.find((o) => o.id === server.guild.id));
  const roles = overwrites.filter((o) => o.type === 0 && o.id !== server.guild.id && held.has(o.id));
  const deny = roles.reduce((acc, o) => acc | BigInt(o.deny), 0n);
  const allow = roles.reduce((acc, o) => acc | BigInt(o.allow), 0n);
  bits = (bits & ~deny) | allow;
  apply(overwrites.find((o) => o.type === 1 && o.id === memberId));
  return bits;
}
