/** Message shortcuts: the message actions the surface offers on Slack ("Mark as solution", "Create ticket"). */
import type { App, RespondFn } from '@slack/bolt';
import type { MessageRef, Reply } from '../../src/ports.js';
import { failed, showForm, slackPlace, type Any, type ListenerContext } from './context.js';
import { isBotMessage, messageText } from './message-parts.js';
import { ephemeral, replyMessage } from './replies.js';

/** What "Mark as solution" on a bot's message answers (the core never sees it). */
export const NOT_A_BOT_MESSAGE = "Mark a person's answer, not a bot's message.";

/** The message action that marks a person's answer: a bot's message is no one's answer. */
const MARK_SOLUTION = 'peer.solution';

/**
 * One listener per message action: the message pointed at goes to the core as `about`; the answer
 * is a form (opened with the trigger id: "Create ticket" is the new-ticket form filled in from the
 * message) or words for the presser alone. A bot's message (tierdesk's own "Similar questions"
 * card among them) cannot be marked as a solution: refused here, and the core never hears of it.
 */
export function registerShortcuts(app: App, ctx: ListenerContext): void {
  for (const spec of ctx.surface.messageActions) {
    app.shortcut(spec.callbackId, async ({ ack, shortcut, respond, context, client }) => {
      await ack();
      const s = shortcut as Any;
      const team = s.team?.id ?? s.user?.team_id ?? '';
      const channel: string = s.channel?.id ?? '';
      const m: Any = s.message ?? {};
      const ts: string = m.ts ?? s.message_ts ?? '';
      const rootTs: string = m.thread_ts ?? ts;
      const answer = async (reply: Reply) => {
        if (typeof respond === 'function' && s.response_url)
          await (respond as RespondFn)({ ...ephemeral(reply), replace_original: false }).catch(failed(ctx, 'respond'));
        else if (channel)
          await client.chat
            .postEphemeral({ channel, user: s.user.id, thread_ts: rootTs, ...replyMessage(reply) })
            .catch(failed(ctx, 'chat.postEphemeral'));
      };
      if (spec.action === MARK_SOLUTION && isBotMessage(m, context.botUserId)) return answer({ text: NOT_A_BOT_MESSAGE });
      const [from, author, link] = await Promise.all([
        ctx.person(team, s.user.id),
        ctx.person(team, String(m.user ?? m.bot_id ?? '')),
        ctx.permalink(channel, ts, rootTs),
      ]);
      const about: MessageRef = { id: ts, author, text: messageText(m), ...(link ? { link } : {}) };
      const reply = await ctx.deliver({
        kind: 'action',
        action: spec.action,
        value: '',
        about,
        key: `slack:${team}:shortcut:${s.trigger_id ?? s.action_ts}`,
        at: ctx.now(),
        from,
        place: slackPlace(team, channel, rootTs),
        message: ts,
        raw: shortcut,
      });
      if (reply?.form) return showForm(ctx, client, s.trigger_id, reply.form, channel || undefined, s.user.id);
      if (reply) await answer(reply);
    });
  }
}
