/** Reactions: the asker's ✅ on an answer in a peer channel, the ticket reaction elsewhere. */
import type { App } from '@slack/bolt';
import { failed, slackPlace, type Any, type ListenerContext } from './context.js';
import { isBotMessage, messageText } from './message-parts.js';
import { replyMessage } from './replies.js';
import { fromSlack } from './text.js';

/** The reactions an asker marks the answer that solved their question with (✅, ✔️). */
const SOLVED_REACTIONS = new Set(['white_check_mark', 'heavy_check_mark']);

export function registerReactions(app: App, ctx: ListenerContext): void {
  const peerChannels = new Set(ctx.peerChannels ?? []);
  const place = slackPlace;
  app.event('reaction_added', async ({ event, body, client, context }) => {
    const e = event as Any;
    if (e.item?.type !== 'message') return;
    const channel = e.item.channel as string;
    const team = (body as Any).team_id ?? '';
    const key = `slack:${team}:event:${(body as Any).event_id}`;
    if (peerChannels.has(channel)) return peerReaction(ctx, client, e, body as Any, context.botUserId);
    // Elsewhere: the ticket reaction on a message makes the message and its thread a ticket (the core decides where it counts).
    if (e.reaction !== ctx.reaction) return;
    let text = '';
    let link: string | undefined;
    try {
      const thread = (await client.conversations.replies({ channel, ts: e.item.ts, limit: 50 })) as Any;
      const messages: Any[] = thread.messages ?? [];
      text = messages.map((m, i) => (i === 0 ? fromSlack(String(m.text ?? '')) : `> <@${m.user}>: ${fromSlack(String(m.text ?? ''))}`)).join('\n');
      link = ((await client.chat.getPermalink({ channel, message_ts: e.item.ts })) as Any).permalink;
    } catch (err) {
      failed(ctx, 'reading the reacted message')(err);
      return;
    }
    const from = await ctx.person(team, e.user);
    const reply = await ctx.deliver({
      kind: 'reaction',
      emoji: e.reaction,
      message: e.item.ts,
      text,
      ...(link ? { link } : {}),
      key,
      at: ctx.now(),
      from,
      place: place(team, channel),
      raw: body,
    });
    if (reply) await client.chat.postEphemeral({ channel, user: e.user, ...replyMessage(reply) }).catch(failed(ctx, 'chat.postEphemeral'));
  });
}

/** In a peer channel: the asker's ✅ marks a solution (the core decides whose counts). */
async function peerReaction(ctx: ListenerContext, client: App['client'], e: Any, body: Any, botUserId: string | undefined): Promise<void> {
  const channel = e.item.channel as string;
  const team = body.team_id ?? '';
  const key = `slack:${team}:event:${body.event_id}`;
  const place = slackPlace;
  // In a peer channel: the asker's ✅ marks a solution (the core decides whose counts).
  if (!SOLVED_REACTIONS.has(e.reaction) && e.reaction !== ctx.reaction) return;
  // The reacted message, to know its thread: a reply's root is the question.
  let reacted: Any | undefined;
  try {
    const r = (await client.conversations.replies({ channel, ts: e.item.ts, latest: e.item.ts, inclusive: true, limit: 1 })) as Any;
    reacted = ((r.messages ?? []) as Any[]).find((m) => m.ts === e.item.ts);
  } catch (err) {
    failed(ctx, 'reading the reacted message')(err);
  }
  const thread: string | undefined = reacted?.thread_ts && reacted.thread_ts !== e.item.ts ? reacted.thread_ts : undefined;
  const authorId: string | undefined = e.item_user ?? reacted?.user;
  // A ✅ on a bot's message (tierdesk's own cards among them) marks no one's answer: not forwarded.
  if (isBotMessage({ ...reacted, user: authorId }, botUserId)) {
    ctx.logger.debug('slack: a reaction on a bot message is not a solution; ignored', { channel, ts: e.item.ts });
    return;
  }
  const [from, author, link] = await Promise.all([
    ctx.person(team, e.user),
    authorId ? ctx.person(team, authorId) : Promise.resolve(undefined),
    ctx.permalink(channel, e.item.ts, thread),
  ]);
  const reply = await ctx.deliver({
    kind: 'reaction',
    emoji: e.reaction,
    message: e.item.ts,
    ...(reacted ? { text: messageText(reacted) } : {}),
    ...(link ? { link } : {}),
    ...(author ? { author } : {}),
    key,
    at: ctx.now(),
    from,
    place: place(team, channel, thread),
    raw: body,
  });
  if (reply)
    await client.chat
      .postEphemeral({ channel, user: e.user, ...(thread ? { thread_ts: thread } : {}), ...replyMessage(reply) })
      .catch(failed(ctx, 'chat.postEphemeral'));
}
