/** Slash commands: one listener per command the surface offers on Slack, each a thin translation. */
import type { App, RespondFn } from '@slack/bolt';
import { failed, showForm, slackPlace, type Any, type ListenerContext, withinAckDeadline } from './context.js';
import { ephemeral } from './replies.js';
import { fromSlack } from './text.js';
import type { Inbound } from '../../src/ports.js';
import { BUSY_REPLY, QUEUED_REPLY } from '../../src/intake-port.js';

/** The ack of a command still running after 1.5 s: its answer follows through response_url. */
export const STILL_WORKING = 'Working on it: the answer follows here in a moment.';

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
 * slow (a busy database) is acked well before Slack's 3 s with an interim line, and answered
 * through response_url when done. A form is opened with the command's trigger id, after an empty
 * ack. Under load (the intake says so) the command is stored and acked as queued, or refused with
 * nothing changed: both answers take no more than one insert.
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
  const admission = ctx.intake?.admit() ?? 'run';
  if (admission === 'refuse') return ack(ephemeral({ text: BUSY_REPLY }));
  const event = async (): Promise<Inbound> => ({
    kind: 'command',
    name,
    text: fromSlack(String(command.text ?? '')),
    key: `slack:${team}:command:${command.trigger_id}`,
    at: ctx.now(),
    from: await ctx.person(team, command.user_id, command.user_name),
    place: slackPlace(team, command.channel_id),
    raw: command,
  });
  if (admission === 'queue' && typeof command.response_url === 'string') {
    const queued = await event()
      .then((e) => ctx.intake!.enqueue(e, JSON.stringify({ responseUrl: command.response_url })))
      .then(
        () => true,
        (err: unknown) => (failed(ctx, 'queueing a command')(err), false),
      );
    return ack(ephemeral({ text: queued ? QUEUED_REPLY : BUSY_REPLY }));
  }
  const work = event().then((e) => ctx.deliver(e));
  const quick = await withinAckDeadline(work.then((reply) => ({ reply })));
  if (quick && !quick.reply?.form) {
    await ack(quick.reply ? ephemeral(quick.reply) : undefined);
    return;
  }
  await ack(quick ? undefined : ephemeral({ text: STILL_WORKING }));
  const reply = await work;
  if (reply?.form) return showForm(ctx, client, command.trigger_id, reply.form, command.channel_id, command.user_id);
  if (reply) await respond(ephemeral(reply)).catch(failed(ctx, 'respond'));
}
