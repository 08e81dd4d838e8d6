/** Card buttons: each is the twin of a declared command; the core says what it does and who may. */
import type { App, RespondFn } from '@slack/bolt';
import { actionOf } from './block-kit.js';
import { answerByDm, failed, showForm, slackPlace, type Any, type ListenerContext } from './context.js';
import { ephemeral } from './replies.js';
import type { Inbound } from '../../src/ports.js';
import { BUSY_REPLY, QUEUED_REPLY } from '../../src/intake-port.js';

/**
 * `tierdesk:claim`, `tierdesk:kb.vote`...: the value is what tierdesk put on the button (the ticket
 * number and flags). Acked first; the core's answer is a form (opened with the trigger id: the
 * core already checked the person may), or words for the presser alone.
 */
export function registerButtons(app: App, ctx: ListenerContext): void {
  app.action(/^tierdesk:/, async ({ ack, action, body, respond, client }) => {
    const a = action as Any;
    const b = body as Any;
    // Under load: refused (nothing changed), or stored and answered later through the response_url
    // (a button on the App Home has none: it always runs).
    const answerable = typeof respond === 'function' && typeof b.response_url === 'string';
    const admission = answerable ? (ctx.intake?.admit() ?? 'run') : 'run';
    if (admission === 'refuse') {
      await ack();
      await (respond as RespondFn)({ ...ephemeral({ text: BUSY_REPLY }), replace_original: false }).catch(failed(ctx, 'respond'));
      return;
    }
    const team = b.team?.id ?? b.user?.team_id ?? '';
    const channel: string | undefined = b.channel?.id ?? b.container?.channel_id;
    const message = b.message?.ts ?? b.container?.message_ts;
    const event = async (quick = false): Promise<Inbound> => ({
      kind: 'action',
      action: actionOf(String(a.action_id)),
      value: String(a.value ?? ''),
      key: `slack:${team}:action:${b.trigger_id ?? a.action_ts}`,
      at: ctx.now(),
      // Queued: Slack is not asked before the ack; the person is completed before the request runs.
      from: quick ? ctx.personNow(team, b.user.id) : await ctx.person(team, b.user.id),
      place: slackPlace(team, channel ?? `dm:${b.user.id}`),
      ...(message ? { message } : {}),
      raw: body,
    });
    if (admission === 'queue') {
      // Stored before the ack: nothing acknowledged is lost. Its answer follows "queued", never overtakes it.
      const e = await event(true);
      const queued = await ctx.intake!.enqueue(e, JSON.stringify({ responseUrl: b.response_url })).then(
        () => true,
        (err: unknown) => (failed(ctx, 'queueing a button')(err), false),
      );
      await ack();
      const text = queued ? QUEUED_REPLY : BUSY_REPLY;
      await (respond as RespondFn)({ ...ephemeral({ text }), replace_original: false }).catch(failed(ctx, 'respond'));
      if (queued) ctx.intake!.acknowledged(e.key);
      return;
    }
    await ack();
    const inbound = await event();
    const from = inbound.from;
    const reply = await ctx.deliver(inbound);
    if (!reply) return;
    if (reply.form) return showForm(ctx, client, b.trigger_id, reply.form, channel, b.user.id);
    if (typeof respond === 'function' && b.response_url !== undefined) {
      await (respond as RespondFn)({ ...ephemeral(reply), replace_original: false }).catch(failed(ctx, 'respond'));
      return;
    }
    // A button on the App Home has no response_url: answer by DM and refresh the Home tab.
    await answerByDm(ctx, client, b.user.id, reply);
    if (b.view?.type === 'home') {
      const home = await ctx.deliver({
        kind: 'command',
        name: 'home',
        key: `slack:${team}:home:${b.trigger_id ?? a.action_ts}`,
        at: ctx.now(),
        from,
        place: slackPlace(team, `dm:${b.user.id}`),
      });
      if (home) await ctx.publishHome(b.user.id, home).catch(failed(ctx, 'views.publish'));
    }
  });
}
