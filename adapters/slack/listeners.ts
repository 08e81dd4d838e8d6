import type { App } from '@slack/bolt';
import { registerButtons } from './buttons.js';
import { failed, slackPlace, type Any, type ListenerContext } from './context.js';
import { registerFormSubmissions } from './form-submissions.js';
import { registerMessages } from './messages.js';
import { registerReactions } from './reactions.js';
import { registerShortcuts } from './shortcuts.js';
import { registerSlashCommands } from './slash-commands.js';

export type { ListenerContext } from './context.js';
export { NOT_A_BOT_MESSAGE } from './shortcuts.js';

/**
 * Translate Slack's payloads into Inbound events. Every listener acks first (Slack wants it within
 * 3 s; a modal's trigger id expires about as fast), then does the work. Nothing here decides
 * anything about tickets or questions, and nothing here lists a command: the slash commands and
 * message shortcuts come from the surface, forms from the core's answers.
 */
export function registerListeners(app: App, ctx: ListenerContext): void {
  registerSlashCommands(app, ctx);
  registerButtons(app, ctx);
  registerFormSubmissions(app, ctx);
  registerShortcuts(app, ctx);
  registerReactions(app, ctx);
  registerMessages(app, ctx);

  // App Home: the person's tickets and, for agents, their queue.
  app.event('app_home_opened', async ({ event, body }) => {
    const e = event as Any;
    if (e.tab !== 'home') return;
    const team = (body as Any).team_id ?? '';
    const from = await ctx.person(team, e.user);
    const reply = await ctx.deliver({
      kind: 'command',
      name: 'home',
      key: `slack:${team}:event:${(body as Any).event_id}`,
      at: ctx.now(),
      from,
      place: slackPlace(team, e.channel ?? `dm:${e.user}`),
      raw: body,
    });
    if (reply) await ctx.publishHome(e.user, reply).catch(failed(ctx, 'views.publish'));
  });

  app.error(async (err) => failed(ctx, 'listener')(err));
}
