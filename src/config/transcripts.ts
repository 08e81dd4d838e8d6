import type { Platform } from '../ports.js';
import type { Bad } from './fields.js';

/** Where closed tickets' transcripts go: the agents' copy to a channel per platform, the requester's by DM. */
export interface TranscriptsConfig {
  /** The transcripts channel per platform (Slack C…, a Discord channel id, a console channel name). */
  channels: Partial<Record<Platform, string>>;
  /** Send the requester their copy (public messages only) when the ticket closes. */
  toRequester: boolean;
}

export const TRANSCRIPTS_DEFAULTS: TranscriptsConfig = { channels: {}, toRequester: false };

const PLATFORMS = ['slack', 'discord', 'console'] as const;

/** `transcripts: { slack: C…, discord: "…", console: transcripts, to_requester: true }`. */
export function readTranscripts(raw: unknown, bad: Bad): TranscriptsConfig {
  const out: TranscriptsConfig = { channels: {}, toRequester: false };
  if (raw === undefined || raw === null) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    bad('transcripts', 'must be a mapping like { slack: C0123ABCD, console: transcripts, to_requester: true }');
    return out;
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === 'to_requester') {
      if (typeof value === 'boolean') out.toRequester = value;
      else bad('transcripts.to_requester', 'must be true or false');
    } else if ((PLATFORMS as readonly string[]).includes(key)) {
      const channel = typeof value === 'number' && key !== 'discord' ? String(value) : value;
      if (typeof channel === 'string' && channel.trim() !== '') out.channels[key as Platform] = channel.trim();
      else bad(`transcripts.${key}`, `must be a channel id${key === 'discord' ? ' (quoted: a Discord snowflake)' : ''}`);
    } else bad(`transcripts.${key}`, 'unknown key (known: slack, discord, console, to_requester)');
  }
  return out;
}
