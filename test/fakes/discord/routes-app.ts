import { PermissionFlagsBits } from 'discord.js';
import { ApiError, unknownRole } from './api-error.js';
import { answerInteraction, editWebhookMessage, followUp, interactionByToken, webhookMessage } from './interactions.js';
import { guildCreate } from './gateway-payloads.js';
import { jsonArray, jsonObject, route, type Route, type RouteRequest } from './route.js';
import { checkCommands, FormCheck, type Json } from './validate.js';
import type { DiscordWorld } from './world.js';

/** What `GET /gateway/bot` tells the client. */
export interface GatewayInfo {
  url: string;
  shards: number;
  maxConcurrency: number;
}

const param = (req: RouteRequest, name: string): string => req.params[name] ?? '';

/** Gateway discovery, the bot's identity, application commands, guild members, interactions and their webhooks. */
export function appRoutes(gateway: () => GatewayInfo): Route[] {
  return [
    route('GET', '/gateway', () => ({ url: gateway().url }), 'none'),
    route('GET', '/gateway/bot', () => {
      const { url, shards, maxConcurrency } = gateway();
      // A long reset_after keeps @discordjs/ws's cache of this answer for the whole test.
      return { url, shards, session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: maxConcurrency } };
    }),
    route('GET', '/users/@me', (req) => req.world.bot),
    route('GET', '/users/:user', (req) => req.world.user(param(req, 'user'))),
    route('GET', '/applications/@me', (req) => application(req.world)),

    route('PUT', '/applications/:app/commands', (req) => overwriteCommands(req, 'global')),
    route('GET', '/applications/:app/commands', (req) => commandsOf(req, 'global')),
    route('PUT', '/applications/:app/guilds/:guild/commands', (req) => overwriteCommands(req, req.world.guild(param(req, 'guild')).id)),
    route('GET', '/applications/:app/guilds/:guild/commands', (req) => commandsOf(req, req.world.guild(param(req, 'guild')).id)),

    route('GET', '/guilds/:guild', (req) => {
      const {
        members: _m,
        channels: _c,
        threads: _t,
        voice_states: _v,
        presences: _p,
        ...guild
      } = guildCreate(req.world.guild(param(req, 'guild')), { members: [], threads: [], joinedAt: '' });
      return guild;
    }),
    route('GET', '/guilds/:guild/channels', (req) =>
      [...req.world.channels.values()].filter((c) => c.guild_id === req.world.guild(param(req, 'guild')).id && !req.world.isThread(c)),
    ),
    route('GET', '/guilds/:guild/roles', (req) => req.world.guild(param(req, 'guild')).roles),
    route('GET', '/guilds/:guild/members/:user', (req) => req.world.member(param(req, 'guild'), param(req, 'user'))),
    route('PUT', '/guilds/:guild/members/:user/roles/:role', (req) => changeRole(req, 'add')),
    route('DELETE', '/guilds/:guild/members/:user/roles/:role', (req) => changeRole(req, 'remove')),

    route(
      'POST',
      '/interactions/:interaction/:token/callback',
      (req) =>
        answerInteraction(req.world, param(req, 'interaction'), param(req, 'token'), jsonObject(req.body), req.query.get('with_response') === 'true'),
      'none',
    ),
    route('POST', '/webhooks/:app/:token', (req) => followUp(req.world, byToken(req), jsonObject(req.body)), 'none'),
    route('GET', '/webhooks/:app/:token/messages/:message', (req) => webhookMessage(byToken(req), param(req, 'message')), 'none'),
    route(
      'PATCH',
      '/webhooks/:app/:token/messages/:message',
      (req) => editWebhookMessage(req.world, webhookMessage(byToken(req), param(req, 'message')), jsonObject(req.body)),
      'none',
    ),
    route(
      'DELETE',
      '/webhooks/:app/:token/messages/:message',
      (req) => {
        const message = webhookMessage(byToken(req), param(req, 'message'));
        req.world.messages.delete(message.id);
        return undefined;
      },
      'none',
    ),
  ];
}

const byToken = (req: RouteRequest) => interactionByToken(req.world, param(req, 'app'), param(req, 'token'));

function application(world: DiscordWorld): Json {
  return {
    id: world.applicationId,
    name: world.bot.username,
    icon: null,
    description: '',
    summary: '',
    type: null,
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: 0,
    team: null,
    bot: world.bot,
    approximate_guild_count: world.guilds.size,
    redirect_uris: [],
    interactions_endpoint_url: null,
    role_connections_verification_url: null,
    tags: [],
    integration_types_config: { '0': {} },
  };
}

function ownApplication(req: RouteRequest): void {
  if (param(req, 'app') !== req.world.applicationId)
    throw new ApiError(403, 20012, 'You are not authorized to perform this action on this application');
}

function commandsOf(req: RouteRequest, scope: string): Json[] {
  ownApplication(req);
  return req.world.commands.get(scope) ?? [];
}

/**
 * Bulk overwrite (`PUT .../commands`): the list replaces what was registered. A command keeps its
 * id when one of the same name and type existed (as Discord does), and every save bumps `version`.
 */
function overwriteCommands(req: RouteRequest, scope: string): Json[] {
  ownApplication(req);
  const { world } = req;
  const wanted = jsonArray(req.body);
  const check = new FormCheck();
  checkCommands(wanted, check);
  check.done();
  if (wanted.length > 100) throw new ApiError(400, 30032, 'Maximum number of application commands reached (100)');
  const before = world.commands.get(scope) ?? [];
  const saved = wanted.map((c) => {
    const type = Number(c.type ?? 1);
    const previous = before.find((b) => b.name === c.name && b.type === type);
    return {
      id: previous?.id ?? world.ids.next(),
      application_id: world.applicationId,
      version: world.ids.next(),
      type,
      name: c.name,
      name_localizations: c.name_localizations ?? null,
      description: c.description ?? '',
      description_localizations: c.description_localizations ?? null,
      default_member_permissions: c.default_member_permissions ?? null,
      nsfw: c.nsfw ?? false,
      contexts: c.contexts ?? null,
      integration_types: c.integration_types ?? [0],
      ...(Array.isArray(c.options) && c.options.length ? { options: c.options } : {}),
      ...(scope === 'global' ? { dm_permission: c.dm_permission ?? true } : { guild_id: scope }),
    };
  });
  world.commands.set(scope, saved);
  return saved;
}

/** `PUT|DELETE /guilds/{g}/members/{u}/roles/{r}`: 204, then GUILD_MEMBER_UPDATE. */
function changeRole(req: RouteRequest, change: 'add' | 'remove'): undefined {
  const { world } = req;
  const guild = world.guild(param(req, 'guild'));
  const member = world.member(guild.id, param(req, 'user'));
  const roleId = param(req, 'role');
  const target = guild.roles.find((r) => r.id === roleId);
  if (!target) throw unknownRole();
  // Managing a role takes Manage Roles and a highest role above it (the owner and Administrators are exempt from neither here: the bot is never the owner).
  const bot = world.member(guild.id, world.bot.id);
  const botTop = Math.max(0, ...guild.roles.filter((r) => bot.roles.includes(r.id)).map((r) => r.position));
  if ((world.permissionsOf(guild.id, world.bot.id) & PermissionFlagsBits.ManageRoles) === 0n || target.position >= botTop || target.managed) {
    throw new ApiError(403, 50013, 'Missing Permissions');
  }
  const has = member.roles.includes(roleId);
  if (change === 'add' && !has) member.roles.push(roleId);
  if (change === 'remove' && has) member.roles.splice(member.roles.indexOf(roleId), 1);
  world.dispatch('GUILD_MEMBER_UPDATE', { guild_id: guild.id, ...member });
  return undefined;
}
