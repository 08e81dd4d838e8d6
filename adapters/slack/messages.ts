/**
 * Messages: in threads (the agents' card thread, the requester's conversation, a question's
 * answers), top-level ones in peer channels (each one is a question), and in a person's DM with
 * tierdesk everything (a DM is never silent); edits and deletions in peer channels.
 */
import type { App } from '@slack/bolt';
import { failed, slackPlace, type Any, type ListenerContext } from './context.js';
import { changeOf, isConversation, messageText, SLACKBOT, slackSystem } from './message-parts.js';
import { replyMessage } from './replies.js';

export function registerMessages(app: App, ctx: ListenerContext): void {
  const peerChannels = new Set(ctx.peerChannels ?? []);
  const place = slackPlace;
  app.event('message', async ({ event, body, client }) => {
    const e = event as Any;
    if (e.subtype === 'message_changed' || e.subtype === 'message_deleted') return messageChange(ctx, peerChannels, e, body as Any);
    // Joins and bot posts are not conversation; a message with a file is (its text and the file names).
    if (!isConversation(e)) return;
    const team = (body as Any).team_id ?? e.team ?? '';
    const thread = e.thread_ts && e.thread_ts !== e.ts ? (e.thread_ts as string) : undefined;
    const peer = peerChannels.has(e.channel);
    // A top-level message in the person's DM with tierdesk: everything there is tierdesk's business.
    const direct = !thread && e.channel_type === 'im';
    if (!thread && !peer && !direct) return; // top-level chatter in other channels is not tierdesk's business
    const [from, link] = await Promise.all([ctx.person(team, e.user), peer ? ctx.permalink(e.channel, e.ts, thread) : Promise.resolve(undefined)]);
    const reply = await ctx.deliver({
      kind: 'message',
      text: messageText(e),
      id: e.ts,
      ...(link ? { link } : {}),
      ...(direct ? { direct: true } : {}),
      key: `slack:${team}:event:${(body as Any).event_id}`,
      at: ctx.now(),
      from,
      // A top-level DM message is the root of its own thread (as a question's is): the DM channel
      // itself is no ticket's conversation, so the core never takes the DM for one ticket's thread.
      place: place(team, e.channel, direct ? e.ts : thread),
      raw: body,
    });
    if (reply) {
      // In a DM the answer is posted there (its buttons work like any card's); in a thread, under the message.
      if (e.channel_type === 'im')
        await client.chat
          .postMessage({ channel: e.channel, ...(thread ? { thread_ts: thread } : {}), ...replyMessage(reply), link_names: false, parse: 'none' })
          .catch(failed(ctx, 'chat.postMessage'));
      else
        await client.chat
          .postEphemeral({ channel: e.channel, user: e.user, ...(thread ? { thread_ts: thread } : {}), ...replyMessage(reply) })
          .catch(failed(ctx, 'chat.postEphemeral'));
    }
  });
}

/**
 * An edit or a deletion in a peer channel: the question or marked answer follows it (the core
 * decides). Elsewhere a ticket's conversation is its history, so nothing is forwarded. Nothing is
 * answered either: the change speaks for itself. The key names the change itself (an edit by its
 * `edited.ts`, a deletion by the message), so a repeat of it, however delivered, changes nothing.
 */
async function messageChange(ctx: ListenerContext, peerChannels: ReadonlySet<string>, e: Any, body: Any): Promise<void> {
  const log = ctx.logger;
  const place = slackPlace;
  const channel = String(e.channel ?? '');
  if (!peerChannels.has(channel)) return;
  const change = changeOf(e);
  if (!change) return;
  const team: string = body.team_id ?? e.team ?? '';
  const from = change.user && change.user !== SLACKBOT ? await ctx.person(team, change.user) : slackSystem(team);
  const at = ctx.now();
  const where = place(team, channel, change.thread);
  const reply =
    change.kind === 'edited'
      ? await ctx.deliver({
          kind: 'edited',
          message: change.ts,
          text: change.text,
          key: `slack:${team}:edit:${channel}:${change.ts}:${change.editTs ?? e.ts ?? e.event_ts}`,
          at,
          from,
          place: where,
          raw: body,
        })
      : await ctx.deliver({
          kind: 'deleted',
          message: change.ts,
          key: `slack:${team}:delete:${channel}:${change.ts}`,
          at,
          from,
          place: where,
          raw: body,
        });
  if (reply) log.debug('slack: a message change was answered; not shown to anyone', { kind: change.kind, channel });
}
