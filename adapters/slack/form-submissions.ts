/** A submitted modal: the command its form submits, with the fields as arguments. */
import type { App } from '@slack/bolt';
import { answerPrivately, safeJson, slackPlace, type Any, type ListenerContext } from './context.js';
import { FORM_VIEW, formErrors, formMeta, formView, submittedArgs, viewValues, type FormMeta } from './modals.js';

/** The intake modal as versions before the catalogue opened it: one still open across an upgrade is still submitted. */
const LEGACY_NEW_TICKET = 'tierdesk_new_ticket';

const PREFIX = new RegExp(`^${FORM_VIEW.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|^${LEGACY_NEW_TICKET}$`);

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
    const meta = view.callback_id === LEGACY_NEW_TICKET ? legacyNewTicket(view as Any) : formMeta(view.private_metadata);
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

/** What an intake modal of the old kind submits: `/ticket new` with each filled-in field (`anyway` when a shortcut opened it). */
function legacyNewTicket(view: Any): FormMeta {
  const meta = safeJson(view.private_metadata) as { channel?: string | null; from?: string };
  const inputs = ((view.blocks ?? []) as Any[]).filter((b) => b.type === 'input' && typeof b.block_id === 'string').map((b) => String(b.block_id));
  return {
    channel: typeof meta.channel === 'string' ? meta.channel : null,
    command: 'ticket',
    args: { sub: 'new', ...(meta.from === 'shortcut' ? { anyway: 'true' } : {}) },
    fields: [],
    extra: inputs.length > 0 ? inputs : Object.keys(view.state?.values ?? {}),
  };
}
