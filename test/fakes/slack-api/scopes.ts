import type { ApiArgs } from './web-api-methods.js';

/**
 * The bot-token scopes each Web API method tierdesk calls needs, from Slack's method reference
 * (docs.slack.dev/reference/methods/<method>, "Scopes"): a call whose token lacks them is answered
 * `missing_scope` with `needed` and `provided`, as Slack does. Methods that read or write a conversation
 * need the scope of its kind (public channel C…, private G…, DM D…); any one listed suffices.
 * Methods absent here need no scope (auth.test, views.*, chat.getPermalink) or take another token.
 */
const BY_KIND = (kind: 'history' | 'read') => (channel: string) =>
  channel.startsWith('G') ? [`groups:${kind}`] : channel.startsWith('D') ? [`im:${kind}`] : [`channels:${kind}`];

const SCOPES: Readonly<Record<string, readonly string[] | ((channel: string) => readonly string[])>> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'conversations.open': ['im:write', 'mpim:write', 'channels:manage', 'groups:write'],
  'conversations.history': BY_KIND('history'),
  'conversations.replies': BY_KIND('history'),
  'conversations.info': BY_KIND('read'),
  'users.info': ['users:read'],
  'usergroups.list': ['usergroups:read'],
  'usergroups.users.list': ['usergroups:read'],
  'usergroups.users.update': ['usergroups:write'],
  'usergroups.enable': ['usergroups:write'],
  'usergroups.disable': ['usergroups:write'],
  'reactions.add': ['reactions:write'],
  'reactions.remove': ['reactions:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
};

/** The scopes `method` would need that `granted` lacks (one of them suffices); [] when the call may go ahead. */
export function missingScopes(method: string, args: ApiArgs, granted: readonly string[]): readonly string[] {
  const rule = SCOPES[method];
  if (!rule) return [];
  const needed = typeof rule === 'function' ? rule(typeof args.channel === 'string' ? args.channel : '') : rule;
  return needed.some((s) => granted.includes(s)) ? [] : needed;
}
