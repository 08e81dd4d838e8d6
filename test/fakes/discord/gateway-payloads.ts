import {
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildFeature,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  type APIGuildMember,
  type GatewayGuildCreateDispatchData,
} from 'discord.js';
import type { GatewaySession } from './gateway.js';
import type { FakeChannel, FakeGuild } from './payloads.js';
import type { Json } from './validate.js';
import type { DiscordWorld } from './world.js';

/**
 * GUILD_CREATE's `d`. Real Discord lists only the bot (and voice members) in `members` unless the
 * session has the GUILD_PRESENCES intent; the gateway decides which members to pass.
 */
export function guildCreate(
  g: FakeGuild,
  parts: { members: APIGuildMember[]; threads: FakeChannel[]; joinedAt: string },
): GatewayGuildCreateDispatchData {
  const strip = ({ guild_id: _omit, ...rest }: FakeChannel) => rest;
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: g.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    roles: g.roles,
    emojis: [],
    stickers: [],
    features: [GuildFeature.Community],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    max_members: 500_000,
    joined_at: parts.joinedAt,
    large: false,
    unavailable: false,
    member_count: g.members.length,
    voice_states: [],
    members: parts.members,
    channels: g.channels.map(strip) as unknown as GatewayGuildCreateDispatchData['channels'],
    threads: parts.threads as unknown as GatewayGuildCreateDispatchData['threads'],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** READY's `d`: who the bot is, its guilds (unavailable until their GUILD_CREATE), where to resume. */
export function readyPayload(world: DiscordWorld, info: GatewaySession, guildIds: string[], resumeUrl: string, flags: number): Json {
  return {
    v: 10,
    user: world.bot,
    guilds: guildIds.map((id) => ({ id, unavailable: true })),
    session_id: info.sessionId,
    session_type: 'normal',
    resume_gateway_url: resumeUrl,
    shard: info.shard,
    application: { id: world.applicationId, flags },
    user_settings: {},
    private_channels: [],
    presences: [],
    relationships: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: [],
    auth: {},
    _trace: ['["fake-discord-gateway",{"micros":0}]'],
  };
}

/**
 * GUILD_MEMBERS_CHUNK's `d` for a Request Guild Members (op 8): by `user_ids`, or by username
 * prefix `query` (`''` = everyone), in one chunk.
 */
export function membersChunk(world: DiscordWorld, d: Json): Json | undefined {
  const guild = world.guilds.get(String(d.guild_id));
  if (!guild) return undefined;
  const ids = Array.isArray(d.user_ids) ? d.user_ids.map(String) : typeof d.user_ids === 'string' ? [d.user_ids] : undefined;
  const query = typeof d.query === 'string' ? d.query.toLowerCase() : '';
  const members = guild.members.filter((m) => (ids ? ids.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query)));
  const notFound = ids ? ids.filter((id) => !members.some((m) => m.user.id === id)) : [];
  const limit = Number(d.limit ?? 0) || members.length;
  return {
    guild_id: guild.id,
    members: members.slice(0, limit),
    chunk_index: 0,
    chunk_count: 1,
    not_found: notFound,
    ...(d.nonce ? { nonce: d.nonce } : {}),
  };
}
