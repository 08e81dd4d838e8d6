import type { App } from '@slack/bolt';
import type { Inbound, Person, Place, Reply } from '../../src/ports.js';
import { actionTextModal, ACTION_TEXT_VIEW, NEW_TICKET_VIEW, newTicketModal, viewValues } from './modals.js';
import type { SlackAdapterOptions } from './slack-adapter.js';
import { replyText } from './slack-adapter.js';

export interface ListenerContext extends SlackAdapterOptions {
  deliver: (event: Inbound) => Promise<Reply | void>;
  person: (team: string, user: string, nameHint?: string) => Promise<Person>;
  publishHome: (user: string, reply: Reply) => Promise<void>;
}

/** Buttons that need words first open a small form; the others act at once. */
const NEEDS_TEXT = new Set(['escalate', 'resolve', 'reply']);

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Translate Slack's payloads into Inbound events. Every listener acks first (Slack wants it within
 * 3 s; a modal's trigger id expires about as fast), then does the work. Nothing here decides
 * anything about tickets: it only asks the core and shows the answer.
 */
export function registerListeners(app: App, ctx: ListenerContext): void {
  const log = ctx.logger;
  const place = (team: string, channel: string, thread?: string): Place => ({ platform: 'slack', space: team, channel, ...(thread ? { thread } : {}) });
  const failed = (what: string) => (err: unknown) => log.error(`slack ${what} failed`, { error: err instanceof Error ? err.message : String(err) });

  // /ticket: no text opens the form; text runs the command and answers only the caller.
  app.command('/ticket', async ({ command, ack, respond, client }) => {
    const team = command.team_id;
    if (command.text.trim() === '') {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: newTicketModal({ ...ctx.defaults, ...(ctx.categories ? { categories: ctx.categories } : {}), channel: command.channel_id }) }).catch(failed('views.open'));
      return;
    }
    // Most commands take a millisecond: answer in the ack itself (no second request). One that is
    // slow (a busy database) is acked empty well before Slack's 3 s, and answered when done.
    const work = (async () => {
      const from = await ctx.person(team, command.user_id, command.user_name);
      return ctx.deliver({ kind: 'command', name: 'ticket', text: command.text, key: `slack:${team}:command:${command.trigger_id}`, at: ctx.now(), from, place: place(team, command.channel_id), raw: command });
    })();
    const quick = await Promise.race([work.then((reply) => ({ reply })), ackDeadline()]);
    if (quick) {
      await ack(quick.reply ? { response_type: 'ephemeral', text: replyText(quick.reply) } : undefined);
      return;
    }
    await ack();
    const reply = await work;
    if (reply) await respond({ response_type: 'ephemeral', text: replyText(reply) }).catch(failed('respond'));
  });

  // The intake form: field errors go back into the form, next to the field.
  app.view(NEW_TICKET_VIEW, async ({ ack, view, body, client }) => {
    const team = body.team?.id ?? body.user.team_id ?? '';
    const values = viewValues(view);
    const meta = safeJson(view.private_metadata) as { channel?: string | null };
    const from = await ctx.person(team, body.user.id);
    const reply = await ctx.deliver({
      kind: 'command', name: 'ticket', args: { sub: 'new', ...values }, key: `slack:${team}:view:${view.id}`, at: ctx.now(), from,
      place: place(team, meta.channel ?? `dm:${body.user.id}`), raw: body,
    });
    if (reply?.fieldErrors) {
      const errors = Object.fromEntries(Object.entries(reply.fieldErrors).map(([field, message]) => [field, message.slice(0, 150)]));
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    if (reply && meta.channel) await client.chat.postEphemeral({ channel: meta.channel, user: body.user.id, text: replyText(reply) }).catch(failed('chat.postEphemeral'));
  });

  // The words an action needs (escalation reason, resolution, public reply).
  app.view(ACTION_TEXT_VIEW, async ({ ack, view, body, client }) => {
    const team = body.team?.id ?? body.user.team_id ?? '';
    const meta = safeJson(view.private_metadata) as { action?: string; ticket?: string };
    const values = viewValues(view);
    const from = await ctx.person(team, body.user.id);
    const value = `${meta.ticket ?? ''}${values.to ? ` --to ${values.to}` : ''}`;
    const reply = await ctx.deliver({
      kind: 'action', action: meta.action ?? '', value, text: values.text ?? '', key: `slack:${team}:view:${view.id}`, at: ctx.now(), from,
      place: place(team, `dm:${body.user.id}`), raw: body,
    });
    if (reply?.fieldErrors?.text) {
      await ack({ response_action: 'errors', errors: { text: reply.fieldErrors.text.slice(0, 150) } });
      return;
    }
    await ack();
    if (reply) {
      const dm = await client.conversations.open({ users: body.user.id }).catch(failed('conversations.open'));
      const channel = (dm as Any | undefined)?.channel?.id;
      if (channel) await client.chat.postMessage({ channel, text: replyText(reply), link_names: false, parse: 'none' }).catch(failed('chat.postMessage'));
    }
  });

  // Card buttons: `tierdesk:claim` etc.; the value is the ticket number (and flags).
  app.action(/^tierdesk:/, async ({ ack, action, body, respond, client }) => {
    await ack();
    const a = action as Any;
    const b = body as Any;
    const name = String(a.action_id).slice('tierdesk:'.length);
    const team = b.team?.id ?? b.user?.team_id ?? '';
    const ticket = String(a.value ?? '').split(' ')[0] ?? '';
    if (NEEDS_TEXT.has(name)) {
      const tiers = ctx.tiers.map((t): [string, string] => [t.id, `${t.id} ${t.name}`]);
      await client.views.open({ trigger_id: b.trigger_id, view: actionTextModal(name, ticket, tiers) }).catch(failed('views.open'));
      return;
    }
    const from = await ctx.person(team, b.user.id);
    const channel = b.channel?.id ?? `dm:${b.user.id}`;
    const reply = await ctx.deliver({
      kind: 'action', action: name, value: String(a.value ?? ''), key: `slack:${team}:action:${b.trigger_id ?? a.action_ts}`, at: ctx.now(), from,
      place: place(team, channel), ...(b.message?.ts ? { message: b.message.ts } : {}), raw: body,
    });
    if (!reply) return;
    if (typeof respond === 'function' && b.response_url !== undefined) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: replyText(reply) }).catch(failed('respond'));
      return;
    }
    // A button on the App Home has no response_url: answer by DM and refresh the Home tab.
    const dm = (await client.conversations.open({ users: b.user.id }).catch(failed('conversations.open'))) as Any | undefined;
    if (dm?.channel?.id) await client.chat.postMessage({ channel: dm.channel.id, text: replyText(reply), link_names: false, parse: 'none' }).catch(failed('chat.postMessage'));
    if (b.view?.type === 'home') {
      const home = await ctx.deliver({ kind: 'command', name: 'home', key: `slack:${team}:home:${b.trigger_id ?? a.action_ts}`, at: ctx.now(), from, place: place(team, `dm:${b.user.id}`) });
      if (home) await ctx.publishHome(b.user.id, home).catch(failed('views.publish'));
    }
  });

  // Message shortcut "Create ticket": the form, filled in from the message.
  app.shortcut('tierdesk_create_ticket', async ({ ack, shortcut, client }) => {
    await ack();
    const s = shortcut as Any;
    const text: string = s.message?.text ?? '';
    let link = '';
    try {
      link = ((await client.chat.getPermalink({ channel: s.channel.id, message_ts: s.message.ts })) as Any).permalink ?? '';
    } catch {
      // no link is fine
    }
    const title = (text.split('\n').find((l: string) => l.trim() !== '') ?? '').slice(0, 200);
    const description = `${text}${link ? `\n\nFrom: ${link}` : ''}`.slice(0, 3000);
    await client.views.open({ trigger_id: s.trigger_id, view: newTicketModal({ ...ctx.defaults, title, description, channel: s.channel?.id, ...(ctx.categories ? { categories: ctx.categories } : {}) }) }).catch(failed('views.open'));
  });

  // The ticket reaction on a message: the message and its thread become a ticket (the core decides where it counts).
  app.event('reaction_added', async ({ event, body, client }) => {
    const e = event as Any;
    if (e.reaction !== ctx.reaction || e.item?.type !== 'message') return;
    const team = (body as Any).team_id ?? '';
    const channel = e.item.channel as string;
    let text = '';
    let link: string | undefined;
    try {
      const thread = (await client.conversations.replies({ channel, ts: e.item.ts, limit: 50 })) as Any;
      const messages: Any[] = thread.messages ?? [];
      text = messages.map((m, i) => (i === 0 ? m.text : `> <@${m.user}>: ${m.text}`)).join('\n');
      link = ((await client.chat.getPermalink({ channel, message_ts: e.item.ts })) as Any).permalink;
    } catch (err) {
      failed('reading the reacted message')(err);
      return;
    }
    const from = await ctx.person(team, e.user);
    const reply = await ctx.deliver({
      kind: 'reaction', emoji: e.reaction, message: e.item.ts, text, ...(link ? { link } : {}), key: `slack:${team}:event:${(body as Any).event_id}`,
      at: ctx.now(), from, place: place(team, channel), raw: body,
    });
    if (reply) await client.chat.postEphemeral({ channel, user: e.user, text: replyText(reply) }).catch(failed('chat.postEphemeral'));
  });

  // Messages in threads: the agents' card thread (internal notes) or the requester's conversation.
  app.event('message', async ({ event, body, client }) => {
    const e = event as Any;
    // Edits, joins and bot posts are not conversation; a reply with a file is (its text and the file names).
    if (e.subtype !== undefined && e.subtype !== 'thread_broadcast' && e.subtype !== 'file_share') return;
    if (e.bot_id !== undefined || !e.user) return;
    const team = (body as Any).team_id ?? e.team ?? '';
    const thread = e.thread_ts && e.thread_ts !== e.ts ? (e.thread_ts as string) : undefined;
    if (!thread) return; // top-level chatter in channels and DMs is not tierdesk's business
    const from = await ctx.person(team, e.user);
    const files = ((e.files ?? []) as Any[]).map((f) => `📎 ${f.name ?? f.title ?? 'a file'}${f.permalink ? ` (${f.permalink})` : ''}`);
    const text = [String(e.text ?? ''), ...files].filter(Boolean).join('\n');
    const reply = await ctx.deliver({
      kind: 'message', text, key: `slack:${team}:event:${(body as Any).event_id}`, at: ctx.now(), from,
      place: place(team, e.channel, thread), raw: body,
    });
    if (reply) {
      if (e.channel_type === 'im') await client.chat.postMessage({ channel: e.channel, thread_ts: thread, text: replyText(reply), link_names: false, parse: 'none' }).catch(failed('chat.postMessage'));
      else await client.chat.postEphemeral({ channel: e.channel, user: e.user, thread_ts: thread, text: replyText(reply) }).catch(failed('chat.postEphemeral'));
    }
  });

  // App Home: the person's tickets and, for agents, their queue.
  app.event('app_home_opened', async ({ event, body }) => {
    const e = event as Any;
    if (e.tab !== 'home') return;
    const team = (body as Any).team_id ?? '';
    const from = await ctx.person(team, e.user);
    const reply = await ctx.deliver({ kind: 'command', name: 'home', key: `slack:${team}:event:${(body as Any).event_id}`, at: ctx.now(), from, place: place(team, e.channel ?? `dm:${e.user}`), raw: body });
    if (reply) await ctx.publishHome(e.user, reply).catch(failed('views.publish'));
  });

  app.error(async (err) => failed('listener')(err));
}

/** Resolves with undefined after 1.5 s: past it, a command is acked first and answered later. */
function ackDeadline(): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), 1500).unref());
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '{}') ?? {};
  } catch {
    return {};
  }
}
