import type { FakeMessage } from '../../fakes/slack-api/index.js';
import { SLACK_YAML, startSlackDesk, type SlackDesk } from './support.js';

/** The peer-support channel, the helper user group, and the workspace they live in. */
export const PEER = 'C0PEER';
export const HELPERS = 'S0HELPERS';

/**
 * The test workspace with a peer channel: helpers are pinged after 30 minutes of silence, a question
 * becomes a ticket after 4 hours, the helper group is granted at 10 points (one solution), and L2
 * (Bob) writes the knowledge base.
 */
export const PEER_YAML = `${SLACK_YAML}
peer:
  channels: { slack: [${PEER}] }
  helper_group: { slack: ${HELPERS} }
  helper_threshold: 10
  points: { solution: 10, thanks: 2, per_thread: 15, per_day: 50 }
  unanswered: { ping_after: 30m, ticket_after: 4h }
  stale: { ask_after: 3d, close_after: 2d }
kb:
  authors: [L2]
`;

/** A desk with the peer channel configured and the helper user group existing (empty) in the fake. */
export async function startPeerDesk(options: { mode?: 'http' | 'socket' } = {}): Promise<SlackDesk> {
  const t = await startSlackDesk({ ...options, yaml: PEER_YAML });
  t.slack.web.workspace.usergroups.set(HELPERS, []);
  return t;
}

/** `user` writes `text` in `channel` (a thread reply when `thread` is given): stored, then sent as Slack sends it. */
export async function say(t: SlackDesk, user: string, text: string, thread?: string, channel = PEER) {
  const sent = await t.sender.event({ type: 'message', channel, user, text, ...(thread ? { thread_ts: thread } : {}) });
  const ts = String((sent.callback.event as { ts: string }).ts);
  const handled = await t.handled(sent.eventId);
  await t.desk.dispatcher.drain();
  return { ...sent, ts, handled };
}

/** `user` adds `reaction` to the message at ts in `channel`: a `reaction_added` (Slack fills in item_user). */
export async function react(t: SlackDesk, user: string, ts: string, reaction = 'white_check_mark', channel = PEER) {
  return t.sender.event({ type: 'reaction_added', user, reaction, item: { type: 'message', channel, ts }, event_ts: t.slack.web.workspace.nextTs() });
}

/** `user` uses the "Mark as solution" message shortcut on the message at ts. */
export async function markAsSolution(t: SlackDesk, user: string, ts: string, channel = PEER) {
  const sent = await t.sender.interaction({ type: 'message_action', user, callback_id: 'tierdesk_mark_solution', channel, message_ts: ts });
  return { ...sent, responseUrl: sent.responseUrl ?? '', triggerId: sent.triggerId ?? '' };
}

/** The reactions tierdesk's bot has on a message, by name. */
export function botReactions(t: SlackDesk, ts: string, channel = PEER): string[] {
  const message: FakeMessage = t.slack.web.workspace.findMessage(channel, ts);
  const bot = t.slack.ids.botUserId;
  return (message.reactions ?? []).filter((r) => r.users.includes(bot)).map((r) => r.name);
}

/** The bot's messages in a question's thread (replies only), oldest first. */
export function botRepliesIn(t: SlackDesk, root: string, channel = PEER): FakeMessage[] {
  return t.slack.web.messagesIn(channel).filter((m) => m.thread_ts === root && m.ts !== root && m.bot_id !== undefined);
}

/** Every text a stored message shows (notification text and blocks), for assertions. */
export function shown(m: FakeMessage): string {
  return JSON.stringify([m.text, m.blocks]);
}

/**
 * What a call shows as Slack markup (the notification text and every mrkdwn text in its blocks):
 * where a mention would ping. plain_text (headers, buttons) never renders mentions.
 */
export function markupOf(args: Record<string, unknown>): string[] {
  const out: string[] = typeof args.text === 'string' ? [args.text] : [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
    Object.values(o).forEach(walk);
  };
  walk(args.blocks);
  return out;
}
