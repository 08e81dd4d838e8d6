/** A submitted modal: the command its form submits, with the fields as arguments. */
import type { App } from '@slack/bolt';
import { answerPrivately, slackPlace, type Any, type ListenerContext } from './context.js';
import { FORM_VIEW, formErrors, formMeta, formView, submittedArgs, viewValues } from './modals.js';

const PREFIX = new RegExp(`^${FORM_VIEW.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

/**
 * The core runs `form.submit.command` with the form's arguments and each field's value (never
 * parsed as options). Field errors go back into the form, next to their field; a new form replaces
 * this one; otherwise the form closes and the answer is shown to the person where they opened it,
 * or by DM when it cannot be (see answerPrivately).
 */
export function registerFormSubmissions(app: App, ctx: ListenerContext): void {
  app.view(PREFIX, async ({ ack, view, body, client }) => {
    const b = body as Any;
    const team = b.team?.id ?? b.user?.team_id ?? '';
    const meta = formMeta(view.private_metadata);
    if (!meta) {
      await ack();
      ctx.logger.warn('slack: a form came back without its metadata; ignored', { view: view.id });
      return;
    }
    const from = await ctx.person(team, b.user.id);
    const reply = await ctx.deliver({
      kind: 'command',
      name: meta.command,
      args: submittedArgs(meta, viewValues(view as Any)),
      key: `slack:${team}:view:${view.id}`,
      at: ctx.now(),
      from,
      place: slackPlace(team, meta.channel ?? `dm:${b.user.id}`),
      raw: body,
    });
    if (reply?.fieldErrors && Object.keys(reply.fieldErrors).length > 0) {
      await ack({ response_action: 'errors', errors: formErrors(reply.fieldErrors, view as Any) });
      return;
    }
    const next = reply?.form
      ? formView(reply.form, { channel: meta.channel ?? undefined, categories: ctx.categories, defaults: ctx.defaults })
      : undefined;
    if (next) {
      await ack({ response_action: 'update', view: next });
      return;
    }
    await ack();
    if (reply) await answerPrivately(ctx, client, b.user.id, meta.channel ?? undefined, reply);
  });
}
