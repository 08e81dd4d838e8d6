/** Slash commands: one listener per command the surface offers on Slack, each a thin translation. */
import type { App, RespondFn } from '@slack/bolt';
import { ackDeadline, failed, showForm, slackPlace, type Any, type ListenerContext } from './context.js';
import { ephemeral } from './replies.js';
import { fromSlack } from './text.js';

/**
 * `/ticket`, `/oncall`, `/kb`...: whatever the surface lists. The typed text goes to the core as
 * written (it parses it against the declaration). The answer is shown to the caller alone; a form
 * the core answers with (`/ticket` with nothing more, `/kb add`) opens as a modal.
 */
export function registerSlashCommands(app: App, ctx: ListenerContext): void {
  for (const command of ctx.surface.commands) {
    app.command(`/${command.name}`, async ({ command: payload, ack, respond, client }) => {
      await runCommand(ctx, client, command.name, payload as Any, ack, respond);
    });
  }
}

/**
 * Most commands take a millisecond: answered in the ack itself (no second request). One that is
 * slow (a busy database) is acked empty well before Slack's 3 s, and answered through response_url
 * when done. A form is opened with the command's trigger id, after an empty ack.
 */
async function runCommand(
  ctx: ListenerContext,
  client: App['client'],
  name: string,
  command: Any,
  ack: (r?: Any) => Promise<void>,
  respond: RespondFn,
) {
  const team = command.team_id as string;
  const work = (async () => {
    const from = await ctx.person(team, command.user_id, command.user_name);
    return ctx.deliver({
      kind: 'command',
      name,
      text: fromSlack(String(command.text ?? '')),
      key: `slack:${team}:command:${command.trigger_id}`,
      at: ctx.now(),
      from,
      place: slackPlace(team, command.channel_id),
      raw: command,
    });
  })();
  const quick = await Promise.race([work.then((reply) => ({ reply })), ackDeadline()]);
  if (quick && !quick.reply?.form) {
    await ack(quick.reply ? ephemeral(quick.reply) : undefined);
    return;
  }
  await ack();
  const reply = await work;
  if (reply?.form) return showForm(ctx, client, command.trigger_id, reply.form, command.channel_id, command.user_id);
  if (reply) await respond(ephemeral(reply)).catch(failed(ctx, 'respond'));
}
