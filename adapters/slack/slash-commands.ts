/** Slash commands: one listener per command the surface offers on Slack, each a thin translation. */
import type { App } from '@slack/bolt';
import { failed, showForm, slackPlace, type Any, type ListenerContext, withinAckDeadline } from './context.js';
import type { CommandHandler } from './front.js';
import { postToResponseUrl } from './outbound.js';
import { ephemeral } from './replies.js';
import { fromSlack } from './text.js';
import type { Inbound, Person } from '../../src/ports.js';
import { BUSY_REPLY, QUEUED_REPLY } from '../../src/intake-port.js';

/** The ack of a command still running after 1.5 s: its answer follows through response_url. */
export const STILL_WORKING = 'Working on it: the answer follows here in a moment.';

type Respond = (message: Any) => Promise<unknown>;

/**
 * `/ticket`, `/oncall`, `/kb`...: whatever the surface lists. The typed text goes to the core as
 * written (it parses it against the declaration). The answer is shown to the caller alone; a form
 * the core answers with (`/ticket` with nothing more, `/kb add`) opens as a modal. These listeners
 * serve Socket Mode; in HTTP mode the front door hands commands to `commandFront` before Bolt.
 */
export function registerSlashCommands(app: App, ctx: ListenerContext): void {
  for (const command of ctx.surface.commands) {
    app.command(`/${command.name}`, async ({ command: payload, ack, respond, client }) => {
      await runCommand(ctx, client, command.name, payload as Any, ack, respond as Respond);
    });
  }
}

/**
 * HTTP mode: the handler of each command the surface lists (see front.ts), the same run as the
 * listener's; answers after the ack go through the command's response_url. A command the surface
 * does not list is left to Bolt (undefined).
 */
export function commandFront(ctx: ListenerContext, client: App['client']): (name: string) => CommandHandler | undefined {
  const names = new Set(ctx.surface.commands.map((c) => c.name));
  return (slashed) => {
    const name = slashed.replace(/^\//, '');
    if (!names.has(name)) return undefined;
    return (command, ack) => {
      const respond: Respond = (message) => postToResponseUrl(String(command.response_url), message);
      runCommand(ctx, client, name, command, ack, respond).catch((err: unknown) => {
        failed(ctx, `/${name}`)(err);
        void ack(ephemeral({ text: 'Sorry, something went wrong on our side; please try again in a moment.' }));
      });
    };
  };
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
  respond: Respond,
) {
  const team = command.team_id as string;
  const admission = ctx.intake?.admit() ?? 'run';
  if (admission === 'refuse') return ack(ephemeral({ text: BUSY_REPLY }));
  const event = (from: Person): Inbound => ({
    kind: 'command',
    name,
    text: fromSlack(String(command.text ?? '')),
    key: `slack:${team}:command:${command.trigger_id}`,
    at: ctx.now(),
    from,
    place: slackPlace(team, command.channel_id),
    raw: command,
  });
  if (admission === 'queue' && typeof command.response_url === 'string') {
    // Nothing on the way to this ack asks Slack: who the person is gets completed before it runs.
    const queued = event(ctx.personNow(team, command.user_id, command.user_name));
    const stored = await ctx.intake!.enqueue(queued, JSON.stringify({ responseUrl: command.response_url })).then(
      () => true,
      (err: unknown) => (failed(ctx, 'queueing a command')(err), false),
    );
    await ack(ephemeral({ text: stored ? QUEUED_REPLY : BUSY_REPLY }));
    if (stored) ctx.intake!.acknowledged(queued.key);
    return;
  }
  // Asking Slack who the person is counts as in flight: a burst of new people is bounded like a burst of work.
  const asked = ctx.person(team, command.user_id, command.user_name);
  const work = (ctx.intake ? ctx.intake.track(asked) : asked).then((from) => ctx.deliver(event(from)));
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
