import { GatewayIntentBits as I } from 'discord.js';
import type { Json } from './validate.js';

/** Intents that must be switched on in the developer portal, or IDENTIFY is refused with close code 4014. */
export const PRIVILEGED_INTENTS = I.GuildMembers | I.GuildPresences | I.MessageContent;

/** The highest intent bit Discord knows today (DirectMessagePolls, 1 << 25); anything above is 4013. */
const KNOWN_INTENTS = (1 << 26) - 1;

export function validIntents(intents: unknown): intents is number {
  return typeof intents === 'number' && Number.isInteger(intents) && intents >= 0 && (intents & ~KNOWN_INTENTS) === 0;
}

/** The intent an event needs, for guild events and for DM events (same for both when not split). */
const NEEDS: Record<string, [guild: number, dm: number]> = {};
const need = (guild: number, dm: number, ...events: string[]) => events.forEach((t) => (NEEDS[t] = [guild, dm]));
need(I.Guilds, I.Guilds, 'GUILD_CREATE', 'GUILD_UPDATE', 'GUILD_DELETE', 'GUILD_ROLE_CREATE', 'GUILD_ROLE_UPDATE', 'GUILD_ROLE_DELETE');
need(I.Guilds, I.Guilds, 'CHANNEL_CREATE', 'CHANNEL_UPDATE', 'CHANNEL_DELETE', 'CHANNEL_PINS_UPDATE');
need(I.Guilds, I.Guilds, 'THREAD_CREATE', 'THREAD_UPDATE', 'THREAD_DELETE', 'THREAD_LIST_SYNC', 'THREAD_MEMBER_UPDATE', 'THREAD_MEMBERS_UPDATE');
need(I.GuildMembers, I.GuildMembers, 'GUILD_MEMBER_ADD', 'GUILD_MEMBER_UPDATE', 'GUILD_MEMBER_REMOVE');
need(I.GuildMessages, I.DirectMessages, 'MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_DELETE', 'MESSAGE_DELETE_BULK');
need(
  I.GuildMessageReactions,
  I.DirectMessageReactions,
  'MESSAGE_REACTION_ADD',
  'MESSAGE_REACTION_REMOVE',
  'MESSAGE_REACTION_REMOVE_ALL',
  'MESSAGE_REACTION_REMOVE_EMOJI',
);
need(I.GuildMessageTyping, I.DirectMessageTyping, 'TYPING_START');

/**
 * Whether a session with `intents` receives event `t`. Events not listed (READY, RESUMED,
 * INTERACTION_CREATE, ...) need no intent. Without GUILD_MEMBERS, THREAD_MEMBERS_UPDATE reaches the
 * bot only when the bot itself joined or left the thread.
 */
export function receives(intents: number, t: string, d: Json, botId: string): boolean {
  const needs = NEEDS[t];
  if (!needs) return true;
  const bit = d.guild_id ? needs[0] : needs[1];
  if ((intents & bit) === 0) return false;
  if (t === 'THREAD_MEMBERS_UPDATE' && (intents & I.GuildMembers) === 0) {
    const added = (d.added_members as Json[] | undefined) ?? [];
    const removed = (d.removed_member_ids as string[] | undefined) ?? [];
    return added.some((m) => m.user_id === botId) || removed.includes(botId);
  }
  return true;
}

/**
 * Without MESSAGE_CONTENT, guild messages arrive with empty content, embeds, attachments,
 * components and poll, unless the bot wrote them or is mentioned in them (DMs keep everything).
 */
export function withoutContent(intents: number, t: string, d: Json, botId: string): Json {
  if (intents & I.MessageContent) return d;
  if (t !== 'MESSAGE_CREATE' && t !== 'MESSAGE_UPDATE') return d;
  const mentioned = ((d.mentions as Json[] | undefined) ?? []).some((u) => u.id === botId);
  if (!d.guild_id || (d.author as Json | undefined)?.id === botId || mentioned) return d;
  const { poll: _poll, ...rest } = d;
  return { ...rest, content: '', embeds: [], attachments: [], components: [] };
}

/** READY's `application.flags`: the "limited" flags of the privileged intents the app has switched on. */
export function applicationFlags(allowed: number): number {
  let flags = 0;
  if (allowed & I.GuildPresences) flags |= 1 << 13;
  if (allowed & I.GuildMembers) flags |= 1 << 15;
  if (allowed & I.MessageContent) flags |= 1 << 19;
  return flags;
}
