/**
 * The Slack app manifest tierdesk needs: a workspace admin pastes it at api.slack.com/apps
 * (Create New App → From an app manifest). Printed as JSON, which Slack's form accepts.
 */
export function slackManifest(opts: { name: string; requestUrl?: string; socketMode: boolean }): string {
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
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: opts.name, always_online: true },
      slash_commands: [
        withUrl({
          command: '/ticket',
          description: 'Open, work and look up help desk tickets',
          usage_hint: 'new <title> --urgency high | show 12 | list | help',
          should_escape: false,
        }),
        withUrl({
          command: '/ask',
          description: 'Ask the community a question',
          usage_hint: '<your question> (or nothing, for a form)',
          should_escape: false,
        }),
        withUrl({
          command: '/kb',
          description: 'Search and write the knowledge base',
          usage_hint: 'search <words> | show 12 | add | edit 12',
          should_escape: false,
        }),
        withUrl({ command: '/helpers', description: 'Who helped the most', usage_hint: '[week | month | all]', should_escape: false }),
      ],
      shortcuts: [
        { name: 'Create ticket', type: 'message', callback_id: 'tierdesk_create_ticket', description: 'Turn this message into a help desk ticket' },
        { name: 'Mark as solution', type: 'message', callback_id: 'tierdesk_mark_solution', description: 'This answer solved the question' },
      ],
    },
    oauth_config: {
      scopes: {
        bot: [
          'commands', // /ticket, /ask, /kb, /helpers and the message shortcuts
          'chat:write', // ticket cards, replies, notes, answers in question threads
          'im:write', // open the DM with a requester or an assignee
          'im:history', // read requesters' replies in their DM thread
          'channels:history', // agents' replies in card threads, questions and answers in peer channels, the reacted message
          'groups:history', // the same in private channels
          'reactions:read', // the ticket reaction, the asker's ✅ on an answer
          'reactions:write', // ✅ on a solved question, 🔒 on a closed one
          'users:read', // names for people not in tierdesk.yaml
          'usergroups:read', // tiers and customer groups defined by user group
          'usergroups:write', // the helper group, granted at the points threshold
        ],
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
