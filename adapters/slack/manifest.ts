/**
 * The Slack app manifest tierdesk needs: a workspace admin pastes it at api.slack.com/apps
 * (Create New App → From an app manifest). Printed as JSON, which Slack's form accepts. Its slash
 * commands and message shortcuts are the surface's: whatever the capabilities declare for Slack.
 */
import type { Surface } from '../../src/surface.js';

/** The bot scopes tierdesk asks for; `tierdesk check --online` verifies the installed token has each. */
export const BOT_SCOPES = [
  'commands', // the slash commands and the message shortcuts
  'chat:write', // ticket cards, replies, notes, answers in question threads and in DMs
  'files:write', // ticket transcripts, uploaded to the transcripts channel and the requester's DM
  'im:write', // open the DM with a requester or an assignee
  'im:history', // read what people write to tierdesk in its DM: replies in a ticket's thread, and everything else
  'channels:history', // agents' replies in card threads, questions and answers in peer channels, the reacted message
  'groups:history', // the same in private channels
  'reactions:read', // the ticket reaction, the asker's ✅ on an answer
  'reactions:write', // ✅ on a solved question, 🔒 on a closed one
  'users:read', // names for people not in tierdesk.yaml
  'usergroups:read', // tiers and customer groups defined by user group
  'usergroups:write', // the helper group, granted at the points threshold; on-call handles (tiers[].oncall_handle) kept equal to who is on call
] as const;

export function slackManifest(opts: { name: string; requestUrl?: string; socketMode: boolean; surface: Surface }): string {
  const url = opts.socketMode ? undefined : (opts.requestUrl ?? 'https://YOUR-HOST/slack/events');
  // Slash commands name it `url`; events and interactivity `request_url`.
  const withUrl = <T extends object>(o: T) => (url ? { ...o, url } : o);
  const withRequestUrl = <T extends object>(o: T) => (url ? { ...o, request_url: url } : o);
  const manifest = {
    display_information: {
      name: opts.name,
      description: 'Help desk tickets, tiers, SLAs, peer support and a knowledge base in Slack',
      background_color: '#2c2d30',
    },
    features: {
      // The Messages tab is writable: a person's DM with tierdesk is where they write to it.
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: opts.name, always_online: true },
      slash_commands: opts.surface.commands.map((c) =>
        withUrl({ command: `/${c.name}`, description: cut(c.summary, 100), usage_hint: cut(c.hint, 100), should_escape: false }),
      ),
      shortcuts: opts.surface.messageActions.map((a) => ({
        name: cut(a.label, 24),
        type: 'message',
        callback_id: a.callbackId,
        description: cut(a.summary, 150),
      })),
    },
    oauth_config: {
      scopes: {
        bot: [...BOT_SCOPES],
      },
    },
    settings: {
      // message.* also deliver edits and deletions (subtypes message_changed / message_deleted), which
      // peer questions and their marked answers follow; there is no separate event to subscribe to.
      event_subscriptions: withRequestUrl({ bot_events: ['app_home_opened', 'message.channels', 'message.groups', 'message.im', 'reaction_added'] }),
      interactivity: withRequestUrl({ is_enabled: true }),
      org_deploy_enabled: false,
      socket_mode_enabled: opts.socketMode,
      token_rotation_enabled: false,
    },
  };
  return JSON.stringify(manifest, null, 2);
}

/** Slack refuses a manifest whose texts are too long: cut, never refused. */
function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
