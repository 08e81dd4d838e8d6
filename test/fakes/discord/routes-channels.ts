import { PermissionFlagsBits, type APIMessage } from 'discord.js';
import { ApiError } from './api-error.js';
import { createMessage, deleteMessage, editMessage, react } from './messages.js';
import { jsonObject, route, type Route, type RouteRequest } from './route.js';
import { addThreadMember, createThread, deleteChannel, editChannel, removeThreadMember, threadMembers } from './threads.js';
import type { DiscordWorld } from './world.js';

const param = (req: RouteRequest, name: string): string => req.params[name] ?? '';
const userParam = (req: RouteRequest) => (param(req, 'user') === '@me' ? req.world.bot.id : param(req, 'user'));

/** A guild channel the bot may not view answers 403 Missing Access, as on Discord. */
function visibleChannel(world: DiscordWorld, id: string) {
  const channel = world.channel(id);
  const guild = typeof channel.guild_id === 'string' ? channel.guild_id : undefined;
  if (guild && !(world.permissionsOf(guild, world.bot.id) & PermissionFlagsBits.ViewChannel)) throw new ApiError(403, 50001, 'Missing Access');
  return channel;
}

/** Channels, messages, reactions, threads and DMs. */
export const channelRoutes: Route[] = [
  route('GET', '/channels/:channel', (req) => visibleChannel(req.world, param(req, 'channel'))),
  route('PATCH', '/channels/:channel', (req) => editChannel(req.world, req.world.channel(param(req, 'channel')), jsonObject(req.body))),
  route('DELETE', '/channels/:channel', (req) => deleteChannel(req.world, req.world.channel(param(req, 'channel')), { checkBot: true })),

  route('POST', '/channels/:channel/messages', (req) => createMessage(req.world, param(req, 'channel'), jsonObject(req.body), { files: req.files })),
  route('GET', '/channels/:channel/messages', (req) => listMessages(req.world, param(req, 'channel'), req.query)),
  route('GET', '/channels/:channel/messages/:message', (req) => req.world.message(param(req, 'channel'), param(req, 'message'))),
  route('PATCH', '/channels/:channel/messages/:message', (req) =>
    editMessage(req.world, req.world.message(param(req, 'channel'), param(req, 'message')), jsonObject(req.body)),
  ),
  route('DELETE', '/channels/:channel/messages/:message', (req) =>
    deleteMessage(req.world, req.world.message(param(req, 'channel'), param(req, 'message'))),
  ),
  route('PUT', '/channels/:channel/messages/:message/reactions/:emoji/@me', (req) => {
    react(req.world, req.world.message(param(req, 'channel'), param(req, 'message')), param(req, 'emoji'), req.world.bot.id);
    return undefined;
  }),
  route('POST', '/channels/:channel/typing', (req) => void req.world.channel(param(req, 'channel'))),

  route('POST', '/channels/:channel/threads', (req) => createThread(req.world, param(req, 'channel'), jsonObject(req.body), { files: req.files })),
  route('POST', '/channels/:channel/messages/:message/threads', (req) =>
    createThread(req.world, param(req, 'channel'), jsonObject(req.body), {
      starter: req.world.message(param(req, 'channel'), param(req, 'message')),
    }),
  ),
  route('GET', '/channels/:channel/thread-members', (req) => threadMembers(req.world, param(req, 'channel'))),
  route('PUT', '/channels/:channel/thread-members/:user', (req) => addThreadMember(req.world, param(req, 'channel'), userParam(req))),
  route('DELETE', '/channels/:channel/thread-members/:user', (req) => removeThreadMember(req.world, param(req, 'channel'), userParam(req))),

  route('POST', '/users/@me/channels', (req) => req.world.openDm(String(jsonObject(req.body).recipient_id))),
];

/** `GET /channels/{id}/messages`: newest first, `limit` (default 50, max 100), `before` / `after`. */
function listMessages(world: DiscordWorld, channelId: string, query: URLSearchParams): APIMessage[] {
  world.channel(channelId);
  const limit = Math.min(Math.max(Number(query.get('limit') ?? 50), 1), 100);
  const before = query.get('before');
  const after = query.get('after');
  const newer = (a: string, b: string) => BigInt(a) > BigInt(b);
  return world
    .messagesIn(channelId)
    .filter((m) => (!before || newer(before, m.id)) && (!after || newer(m.id, after)))
    .reverse()
    .slice(0, limit);
}
