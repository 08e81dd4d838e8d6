/**
 * `tierdesk check --online` for Slack, with the real WebClient: the token (`auth.test`), the scopes it
 * was granted (the `x-oauth-scopes` header WebClient exposes as `response_metadata.scopes`) against the
 * manifest's, the bot's membership of every configured channel (`conversations.history`), and the user
 * groups the configuration names (`usergroups.list`). One line each; never a token.
 */
import { webApi } from '@slack/bolt';
import type { ChannelRef, CheckLine, GroupRef, PlatformRefs } from '../../src/cli/check-online.js';
import { unreachable } from '../../src/cli/check-online.js';
import type { SlackSecrets } from '../../src/config/config.js';
import { BOT_SCOPES } from './manifest.js';
import { SILENT_SLACK_LOGGER } from './silent-logger.js';

// Through Bolt's re-export: @slack/web-api is Bolt's dependency, not ours.
const { ErrorCode, WebClient } = webApi;
type WebClient = webApi.WebClient;

const DEFAULT_API_URL = 'https://slack.com/api/';

/** Slack's error code (`invalid_auth`, `channel_not_found`…), or undefined for a failure to reach it. */
function slackError(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number };
  if (e.code === ErrorCode.PlatformError) return e.data?.error ?? 'unknown_error';
  if (e.code === ErrorCode.HTTPError) return `HTTP ${e.statusCode ?? '?'}`;
  if (e.code === ErrorCode.RateLimitedError) return 'ratelimited';
  return undefined;
}

const named = (where: string[]) => where.join(', ');

export async function checkSlackOnline(secrets: SlackSecrets, refs: PlatformRefs): Promise<CheckLine[]> {
  const apiUrl = secrets.apiUrl ?? DEFAULT_API_URL;
  const client = new WebClient(secrets.botToken, {
    slackApiUrl: apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 15_000,
    logger: SILENT_SLACK_LOGGER,
  });
  let auth: webApi.WebAPICallResult & { user?: string; team?: string };
  try {
    auth = await client.auth.test();
  } catch (err) {
    const code = slackError(err);
    if (code === undefined) return [unreachable('Slack', apiUrl, err, 'check the network, a proxy, or SLACK_API_URL')];
    return [
      { ok: false, text: `Slack: SLACK_BOT_TOKEN is refused (${code}): copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions` },
    ];
  }
  const bot = `@${auth.user ?? 'tierdesk'}`;
  const lines: CheckLine[] = [{ ok: true, text: `Slack: the bot token works (${bot} in ${auth.team ?? 'the workspace'})` }];
  lines.push(scopesLine(auth.response_metadata?.scopes));
  for (const channel of refs.channels) lines.push(await channelLine(client, channel, bot));
  if (refs.groups.length > 0) lines.push(...(await groupLines(client, refs.groups)));
  return lines;
}

function scopesLine(granted: string[] | undefined): CheckLine {
  if (granted === undefined) return { ok: false, text: 'Slack: the answer did not say which scopes the token has (no x-oauth-scopes header)' };
  const missing = BOT_SCOPES.filter((s) => !granted.includes(s));
  if (missing.length === 0) return { ok: true, text: `Slack: the token has every scope tierdesk asks for (${BOT_SCOPES.length})` };
  const list = missing.join(', ');
  return {
    ok: false,
    text: `Slack: the token lacks ${missing.length === 1 ? 'scope' : 'scopes'} ${list}: add ${list} under OAuth & Permissions → Bot Token Scopes and reinstall the app`,
  };
}

/**
 * Membership through `conversations.history` (one message): the manifest's channels:history / groups:history
 * cover it, and a bot token reads only what it is in (`not_in_channel`). `conversations.info` would need
 * channels:read / groups:read, which tierdesk has no other use for.
 */
async function channelLine(client: WebClient, ref: ChannelRef, bot: string): Promise<CheckLine> {
  const where = `${ref.id} (${named(ref.where)})`;
  try {
    await client.conversations.history({ channel: ref.id, limit: 1 });
    return { ok: true, text: `Slack: the bot is in ${where}` };
  } catch (err) {
    const code = slackError(err) ?? (err instanceof Error ? err.message : String(err));
    if (code === 'not_in_channel') return { ok: false, text: `Slack: the bot is not in ${where}: invite it with /invite ${bot} in that channel` };
    if (code === 'channel_not_found')
      return {
        ok: false,
        text: `Slack: channel ${where} is not found: check the id, or if it is private invite the bot with /invite ${bot} there`,
      };
    return { ok: false, text: `Slack: could not look at channel ${where}: ${code}` };
  }
}

async function groupLines(client: WebClient, groups: GroupRef[]): Promise<CheckLine[]> {
  let known: Map<string, string>;
  try {
    // Disabled groups too: an on-call handle is disabled while nobody is on call, and still the right id.
    const list = await client.usergroups.list({ include_disabled: true });
    known = new Map((list.usergroups ?? []).map((g) => [g.id ?? '', g.handle ?? g.name ?? '']));
  } catch (err) {
    const code = slackError(err) ?? (err instanceof Error ? err.message : String(err));
    return [{ ok: false, text: `Slack: could not list user groups (${code}): the token needs usergroups:read` }];
  }
  return groups.map((g) =>
    known.has(g.id)
      ? { ok: true, text: `Slack: user group @${known.get(g.id)} (${g.id}, ${named(g.where)}) exists` }
      : {
          ok: false,
          text: `Slack: user group ${g.id} (${named(g.where)}) does not exist in this workspace: check the id (People → User groups, the id is in the group's link)`,
        },
  );
}
