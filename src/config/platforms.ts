/** The platform sections of the configuration (`slack`, `discord`) and their credentials from the environment. */
import type { Config, DiscordConfig, DiscordSecrets, SlackConfig } from './config.js';
import { isRecord, type Bad } from './fields.js';

/** Platform credentials from the environment. Problems name the variable, never its value. */
export function readSecrets(env: NodeJS.ProcessEnv, bad: Bad): Config['secrets'] {
  const get = (name: string) => env[name]?.trim() || undefined;
  const botToken = get('SLACK_BOT_TOKEN');
  const signingSecret = get('SLACK_SIGNING_SECRET');
  const appToken = get('SLACK_APP_TOKEN');
  const apiUrl = get('SLACK_API_URL');
  const discord = readDiscordSecrets(env, bad);
  signInPairs(env, bad);
  if (!botToken) {
    if (signingSecret || appToken)
      bad('SLACK_BOT_TOKEN', 'is missing: set it (xoxb-…) along with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN to run the Slack adapter');
    return discord ? { discord } : {};
  }
  if (!botToken.startsWith('xoxb-')) bad('SLACK_BOT_TOKEN', 'must be a bot token starting with xoxb- (OAuth & Permissions → Bot User OAuth Token)');
  if (appToken && !appToken.startsWith('xapp-'))
    bad('SLACK_APP_TOKEN', 'must be an app-level token starting with xapp- (Basic Information → App-Level Tokens, scope connections:write)');
  if (!appToken && !signingSecret)
    bad(
      'SLACK_SIGNING_SECRET',
      'is missing: HTTP mode verifies every request with it (Basic Information → Signing Secret); or set SLACK_APP_TOKEN for Socket Mode',
    );
  if (apiUrl && !/^https?:\/\/[^\s]+\/$/.test(apiUrl)) bad('SLACK_API_URL', 'must be an http(s) URL ending in / (e.g. https://slack.com/api/)');
  return {
    slack: { botToken, ...(signingSecret ? { signingSecret } : {}), ...(appToken ? { appToken } : {}), ...(apiUrl ? { apiUrl } : {}) },
    ...(discord ? { discord } : {}),
  };
}

/**
 * Dashboard sign-in with Slack or Discord (adapters/web/sign-in-providers.ts) needs both halves of the
 * app's credentials; one half alone would leave the button silently missing.
 */
function signInPairs(env: NodeJS.ProcessEnv, bad: Bad): void {
  const set = (name: string) => Boolean(env[name]?.trim());
  if (set('SLACK_CLIENT_ID') !== set('SLACK_CLIENT_SECRET'))
    bad(
      set('SLACK_CLIENT_ID') ? 'SLACK_CLIENT_SECRET' : 'SLACK_CLIENT_ID',
      'is missing: Sign in with Slack needs both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (Basic Information → App Credentials)',
    );
  if (set('DISCORD_CLIENT_ID') && !set('DISCORD_CLIENT_SECRET'))
    bad('DISCORD_CLIENT_SECRET', 'is missing: sign-in with Discord needs it along with DISCORD_CLIENT_ID (Developer Portal → OAuth2)');
  if (set('DISCORD_CLIENT_SECRET') && !set('DISCORD_CLIENT_ID') && !set('DISCORD_APPLICATION_ID'))
    bad('DISCORD_CLIENT_ID', 'is missing: sign-in with Discord needs the client id (or DISCORD_APPLICATION_ID) with DISCORD_CLIENT_SECRET');
}

function readDiscordSecrets(env: NodeJS.ProcessEnv, bad: Bad): DiscordSecrets | undefined {
  const token = env.DISCORD_TOKEN?.trim() || undefined;
  const applicationId = env.DISCORD_APPLICATION_ID?.trim() || undefined;
  const apiUrl = env.DISCORD_API_URL?.trim() || undefined;
  if (!token) {
    if (applicationId) bad('DISCORD_TOKEN', 'is missing: set the bot token (Developer Portal → Bot → Reset Token) to run the Discord adapter');
    return undefined;
  }
  if (!applicationId) bad('DISCORD_APPLICATION_ID', 'is missing: the application id (Developer Portal → General Information)');
  else if (!/^\d{15,21}$/.test(applicationId)) bad('DISCORD_APPLICATION_ID', 'must be a snowflake of 15 to 21 digits');
  if (apiUrl && !/^https?:\/\/\S+$/.test(apiUrl)) bad('DISCORD_API_URL', 'must be an http(s) URL such as https://discord.com/api');
  return { token, applicationId: applicationId ?? '', ...(apiUrl ? { apiUrl: apiUrl.replace(/\/+$/, '') } : {}) };
}

export function readDiscord(raw: unknown, bad: Bad): DiscordConfig {
  const discord: DiscordConfig = { guilds: [] };
  if (raw === undefined || raw === null) return discord;
  if (!isRecord(raw)) return (bad('discord', 'must be a mapping (the token belongs in the environment, not here)'), discord);
  if (raw.guilds !== undefined) {
    if (!Array.isArray(raw.guilds)) bad('discord.guilds', 'must be a list of guild ids (quoted)');
    else
      raw.guilds.forEach((g, i) =>
        typeof g === 'string' && /^\d{15,21}$/.test(g)
          ? discord.guilds.push(g)
          : bad(`discord.guilds[${i}]`, `${JSON.stringify(g)} is not a guild id; quote it: "100000000000000000"`),
      );
  }
  if (raw.tickets_channel !== undefined) {
    if (typeof raw.tickets_channel !== 'string' || !/^\d{15,21}$/.test(raw.tickets_channel))
      bad('discord.tickets_channel', 'must be a channel id (quoted snowflake)');
    else discord.ticketsChannel = raw.tickets_channel;
  }
  return discord;
}

export function readSlack(raw: unknown, bad: Bad): SlackConfig {
  const slack: SlackConfig = { reactionChannels: [], reaction: 'ticket' };
  if (raw === undefined || raw === null) return slack;
  if (!isRecord(raw)) return (bad('slack', 'must be a mapping (secrets go in the environment, not here)'), slack);
  if (raw.reaction_channels !== undefined) {
    if (!Array.isArray(raw.reaction_channels)) bad('slack.reaction_channels', 'must be a list of channel ids like C0123ABCD');
    else
      raw.reaction_channels.forEach((c, i) =>
        typeof c === 'string' && /^[CG][A-Z0-9]{2,}$/.test(c)
          ? slack.reactionChannels.push(c)
          : bad(`slack.reaction_channels[${i}]`, `${JSON.stringify(c)} is not a Slack channel id like C0123ABCD`),
      );
  }
  if (raw.reaction !== undefined) {
    if (typeof raw.reaction !== 'string' || !/^[a-z0-9_+'-]+$/.test(raw.reaction.replace(/^:|:$/g, '')))
      bad('slack.reaction', 'must be an emoji name like ticket');
    else slack.reaction = raw.reaction.replace(/^:|:$/g, '');
  }
  return slack;
}
