/**
 * `tierdesk check --online`: what the configuration asks of each platform (channels the bot must be
 * in, user groups and roles that must exist), and how the answers are printed. The platform checks
 * themselves live with their adapters (adapters/slack/online-check.ts, adapters/discord/online-check.ts):
 * only they speak the platforms' APIs.
 */
import type { Config } from '../config/config.js';

/** One verified fact: ✓ when it holds; when not, the text says what to fix. */
export interface CheckLine {
  ok: boolean;
  text: string;
}

/** What a channel is for, which decides what the bot must be allowed to do there. */
export type ChannelUse = 'tier' | 'tickets' | 'peer' | 'transcripts' | 'reactions';

export interface ChannelRef {
  id: string;
  uses: ChannelUse[];
  /** Where the configuration names it, for the person fixing it: "tier L1". */
  where: string[];
}

export interface GroupRef {
  id: string;
  where: string[];
  /** tierdesk gives and takes it (the peer helper group, an on-call handle), not only reads who has it. */
  given: boolean;
}

/** Everything the configuration names on one platform. */
export interface PlatformRefs {
  channels: ChannelRef[];
  /** Slack user groups or Discord roles. */
  groups: GroupRef[];
}

export function referencesOf(config: Config, platform: 'slack' | 'discord'): PlatformRefs {
  const channels = new Map<string, ChannelRef>();
  const channel = (id: string | undefined, use: ChannelUse, where: string) => {
    if (id === undefined) return;
    const ref = channels.get(id) ?? { id, uses: [], where: [] };
    if (!ref.uses.includes(use)) ref.uses.push(use);
    ref.where.push(where);
    channels.set(id, ref);
  };
  const groups = new Map<string, GroupRef>();
  const group = (id: string | undefined, where: string, given = false) => {
    if (id === undefined) return;
    const ref = groups.get(id) ?? { id, where: [], given: false };
    ref.where.push(where);
    ref.given ||= given;
    groups.set(id, ref);
  };
  for (const tier of config.tiers) {
    channel(tier.channels[platform], 'tier', `tier ${tier.id}`);
    group(platform === 'slack' ? tier.slackUsergroup : tier.discordRole, `tier ${tier.id}`);
    group(tier.oncallHandle?.[platform], `tier ${tier.id} oncall_handle`, true);
  }
  for (const id of config.peer.channels[platform] ?? []) channel(id, 'peer', 'peer.channels');
  channel(config.transcripts.channels[platform], 'transcripts', 'transcripts');
  if (platform === 'slack') for (const id of config.slack.reactionChannels) channel(id, 'reactions', 'slack.reaction_channels');
  else channel(config.discord.ticketsChannel, 'tickets', 'discord.tickets_channel');
  group(config.peer.helperGroup[platform], 'peer.helper_group', true);
  for (const g of config.sla?.groups ?? [])
    for (const id of platform === 'slack' ? g.slackUsergroups : g.discordRoles) group(id, `sla group ${g.id}`);
  return { channels: [...channels.values()], groups: [...groups.values()] };
}

/** Prints each line with its mark; the exit code is 1 when any check failed. */
export function printChecks(lines: readonly CheckLine[], say: (text: string) => void): number {
  for (const line of lines) say(`${line.ok ? '✓' : '✗'} ${line.text}`);
  return lines.every((l) => l.ok) ? 0 : 1;
}

/** A network failure in one line: the address tried and the system's reason, never a credential. */
export function unreachable(platform: string, url: string, err: unknown, fix: string): CheckLine {
  // The system's code (ECONNREFUSED, ENOTFOUND, UND_ERR_CONNECT_TIMEOUT) wherever the client put it.
  const e = err as { code?: unknown; cause?: { code?: unknown }; original?: { code?: unknown; cause?: { code?: unknown } } } | undefined;
  const system = [e?.code, e?.cause?.code, e?.original?.cause?.code, e?.original?.code].find(
    (c): c is string => typeof c === 'string' && /^(E[A-Z]+|UND_ERR\w*)$/.test(c),
  );
  const reason = system ?? (err instanceof Error ? err.message : String(err));
  return { ok: false, text: `${platform}: cannot reach ${url} (${reason}): ${fix}` };
}
