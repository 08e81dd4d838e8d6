import type { App, RespondFn, types } from '@slack/bolt';
import type { Inbound, MessageRef, Person, Place, Reply } from '../../src/ports.js';
import { actionOf } from './block-kit.js';
import {
  ACTION_TEXT_VIEW,
  ASK_VIEW,
  KB_ARTICLE_VIEW,
  NEW_TICKET_VIEW,
  actionTextModal,
  askModal,
  formErrors,
  inputBlocks,
  kbArticleModal,
  newTicketModal,
  viewValues,
} from './modals.js';
import type { SlackAdapterOptions } from './slack-adapter.js';
import { replyMessage } from './slack-adapter.js';
import { fromSlack } from './text.js';

export interface ListenerContext extends SlackAdapterOptions {
  deliver: (event: Inbound) => Promise<Reply | void>;
  person: (team: string, user: string, nameHint?: string) => Promise<Person>;
  publishHome: (user: string, reply: Reply) => Promise<void>;
  /** A message's permalink (built from the workspace URL, else asked of Slack), or undefined. */
  permalink: (channel: string, ts: string, thread?: string) => Promise<string | undefined>;
}

/** Buttons that need words first open a small form; the others act at once. */
const NEEDS_TEXT = new Set(['escalate', 'resolve', 'reply']);

/** The reactions an asker marks the answer that solved their question with (✅, ✔️). */
const SOLVED_REACTIONS = new Set(['white_check_mark', 'heavy_check_mark']);

/** What "Mark as solution" on a bot's message answers (the core never sees it). */
export const NOT_A_BOT_MESSAGE = "Mark a person's answer, not a bot's message.";

/** Said above a form's answer sent by DM because it could not be shown where the form was opened. */
const ANSWERED_BY_DM = 'The answer to the form you just sent: it could not be shown in the conversation you opened the form from.';

/** Message shortcuts (callback ids, as in the manifest). */
export const CREATE_TICKET_SHORTCUT = 'tierdesk_create_ticket';
export const MARK_SOLUTION_SHORTCUT = 'tierdesk_mark_solution';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Translate Slack's payloads into Inbound events. Every listener acks first (Slack wants it within
 * 3 s; a modal's trigger id expires about as fast), then does the work. Nothing here decides
 * anything about tickets or questions: it only asks the core and shows the answer.
 */
export function registerListeners(app: App, ctx: ListenerContext): void {
  const log = ctx.logger;
  const peerChannels = new Set(ctx.peerChannels ?? []);
  const place = (team: string, channel: string, thread?: string): Place => ({
    platform: 'slack',
    space: team,
    channel,
    ...(thread ? { thread } : {}),
  });
  const failed = (what: string) => (err: unknown) => log.error(`slack ${what} failed`, { error: err instanceof Error ? err.message : String(err) });
  const ephemeral = (reply: Reply) => ({ response_type: 'ephemeral' as const, ...replyMessage(reply) });

  /**
   * The answer to something a person did from `channel` (a form they submitted), for them alone:
   * ephemeral there, else in their DM with the app, when it cannot be shown there (the bot is not in
   * that channel, it is a DM between people) or there is no channel. Never only logged: a form's
   * answer may be an offer of articles, and nothing is opened until the person answers it, with its
   * buttons, which work in the DM too.
   */
  async function answerPrivately(client: App['client'], user: string, channel: string | undefined, reply: Reply): Promise<void> {
    if (channel) {
      try {
        await client.chat.postEphemeral({ channel, user, ...replyMessage(reply) });
        return;
      } catch (err) {
        log.warn('slack: cannot answer in the channel; answering by DM', { channel, error: err instanceof Error ? err.message : String(err) });
      }
    }
    const dm = (await client.conversations.open({ users: user }).catch(failed('conversations.open'))) as Any | undefined;
    const id: string | undefined = dm?.channel?.id;
    if (!id) return;
    const message = channel ? withNote(replyMessage(reply), ANSWERED_BY_DM) : replyMessage(reply);
    await client.chat.postMessage({ channel: id, ...message, link_names: false, parse: 'none' }).catch(failed('chat.postMessage'));
  }

  /**
   * A slash command with text: run it and answer only the caller. Most commands take a millisecond:
   * answered in the ack itself (no second request). One that is slow (a busy database) is acked
   * empty well before Slack's 3 s, and answered through response_url when done.
   */
  async function runCommand(name: string, command: Any, ack: (r?: Any) => Promise<void>, respond: RespondFn): Promise<void> {
    const team = command.team_id as string;
    const work = (async () => {
      const from = await ctx.person(team, command.user_id, command.user_name);
      return ctx.deliver({
        kind: 'command',
        name,
        text: fromSlack(command.text),
        key: `slack:${team}:command:${command.trigger_id}`,
        at: ctx.now(),
        from,
        place: place(team, command.channel_id),
        raw: command,
      });
    })();
    const quick = await Promise.race([work.then((reply) => ({ reply })), ackDeadline()]);
    if (quick) {
      await ack(quick.reply ? ephemeral(quick.reply) : undefined);
      return;
    }
    await ack();
    const reply = await work;
    if (reply) await respond(ephemeral(reply)).catch(failed('respond'));
  }

  // /ticket: no text opens the form; text runs the command.
  app.command('/ticket', async ({ command, ack, respond, client }) => {
    if (command.text.trim() === '') {
      await ack();
      await client.views
        .open({
          trigger_id: command.trigger_id,
          view: newTicketModal({ ...ctx.defaults, ...(ctx.categories ? { categories: ctx.categories } : {}), channel: command.channel_id }),
        })
        .catch(failed('views.open'));
      return;
    }
    await runCommand('ticket', command, ack, respond);
  });

  // /ask: no text opens the question form; text posts the question.
  app.command('/ask', async ({ command, ack, respond, client }) => {
    if (command.text.trim() === '') {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: askModal({ channel: command.channel_id }) }).catch(failed('views.open'));
      return;
    }
    await runCommand('ask', command, ack, respond);
  });

  // /kb: `add` and `edit ID` with nothing more open the article form; the rest runs as typed.
  app.command('/kb', async ({ command, ack, respond, client }) => {
    const words = command.text.trim().split(/\s+/).filter(Boolean);
    const sub = words[0]?.toLowerCase();
    if ((sub === 'add' && words.length === 1) || (sub === 'edit' && words.length === 2)) {
      await ack();
      const form =
        sub === 'add'
          ? { sub: 'add' as const }
          : { sub: 'edit' as const, id: words[1]!.replace(/^#/, ''), ...(await articleNow(command, words[1]!)) };
      await client.views
        .open({ trigger_id: command.trigger_id, view: kbArticleModal({ ...form, channel: command.channel_id }) })
        .catch(failed('views.open'));
      return;
    }
    await runCommand('kb', command, ack, respond);
  });

  /**
   * The article as it stands, to fill the edit form: the card `/kb show ID` answers with (title
   * after `#ID: `, the body as its text, a Tags field). A field that cannot be read whole (a body
   * longer than a Slack input holds, or cut in the card) is left empty, and an empty field that
   * was not filled in means "keep it" on submission. Read within a second: the trigger id expires.
   */
  async function articleNow(command: Any, id: string): Promise<{ title?: string; body?: string; tags?: string }> {
    const team = command.team_id as string;
    try {
      const read = (async () => {
        const from = await ctx.person(team, command.user_id, command.user_name);
        return ctx.deliver({
          kind: 'command',
          name: 'kb',
          text: `show ${id}`,
          key: `slack:${team}:command:${command.trigger_id}:show`,
          at: ctx.now(),
          from,
          place: place(team, command.channel_id),
        });
      })();
      const shown = await Promise.race([read.then((reply) => ({ reply })), ackDeadline(1000)]);
      const card = shown?.reply ? (shown.reply.card ?? shown.reply.cards?.[0]) : undefined;
      if (!card) return {};
      const title = /#\d+:\s*(.+)$/s.exec(card.title)?.[1]?.trim();
      const body = card.text && card.text.length < MODAL_TEXT_MAX && !card.text.endsWith('the full article is longer)') ? card.text : undefined;
      const tags = card.fields?.find((f) => /^tags?$/i.test(f.label))?.value;
      return { ...(title ? { title } : {}), ...(body ? { body } : {}), ...(tags !== undefined ? { tags: tags === 'none' ? '' : tags } : {}) };
    } catch (err) {
      failed('reading the article to edit')(err);
      return {};
    }
  }

  // /helpers [week|month|all]: the leaderboard.
  app.command('/helpers', async ({ command, ack, respond }) => {
    await runCommand('helpers', command, ack, respond);
  });

  /**
   * A form submitted: the core runs `name` with the form's fields as arguments. Field errors go
   * back into the form, next to the field; otherwise the form closes and the answer is shown to the
   * person in the channel they started from, or by DM when it cannot be (see answerPrivately).
   */
  async function submitForm(name: string, args: Record<string, string>, { ack, view, body, client }: Any): Promise<void> {
    const team = body.team?.id ?? body.user.team_id ?? '';
    const meta = safeJson(view.private_metadata) as { channel?: string | null };
    const from = await ctx.person(team, body.user.id);
    const reply = await ctx.deliver({
      kind: 'command',
      name,
      args,
      key: `slack:${team}:view:${view.id}`,
      at: ctx.now(),
      from,
      place: place(team, meta.channel ?? `dm:${body.user.id}`),
      raw: body,
    });
    if (reply?.fieldErrors && Object.keys(reply.fieldErrors).length > 0) {
      await ack({ response_action: 'errors', errors: formErrors(reply.fieldErrors, inputBlocks(view)) });
      return;
    }
    await ack();
    if (reply) await answerPrivately(client, body.user.id, meta.channel ?? undefined, reply);
  }

  // The intake form. Opened from the "Create ticket" shortcut it opens the ticket at once: tickets
  // made from a message are never deflected (the private metadata is ours; Slack returns it as set).
  app.view(NEW_TICKET_VIEW, async (a) => {
    const meta = safeJson(a.view.private_metadata) as { from?: string };
    await submitForm('ticket', { sub: 'new', ...viewValues(a.view), ...(meta.from === 'shortcut' ? { anyway: 'true' } : {}) }, a);
  });

  // The article form. Adding: every field is sent, an empty one as '' (the core says what is
  // missing). Editing: a field the form was filled in with is sent as it now stands (emptied: '');
  // one it could not be filled in with is sent only when written in (empty keeps the article's).
  app.view(KB_ARTICLE_VIEW, async (a) => {
    const meta = safeJson(a.view.private_metadata) as { sub?: string; id?: string | null; filled?: string[] };
    const values = viewValues(a.view);
    const editing = meta.sub === 'edit';
    const args: Record<string, string> = { sub: editing ? 'edit' : 'add' };
    if (meta.id) args.id = meta.id;
    for (const field of ['title', 'body', 'tags']) {
      const value = values[field];
      if (!editing || meta.filled?.includes(field) || value !== undefined) args[field] = value ?? '';
    }
    await submitForm('kb', args, a);
  });

  // The question form.
  app.view(ASK_VIEW, async (a) => {
    const values = viewValues(a.view);
    await submitForm('ask', { title: values.title ?? '', text: values.text ?? '' }, a);
  });

  // The words an action needs (escalation reason, resolution, public reply).
  app.view(ACTION_TEXT_VIEW, async ({ ack, view, body, client }) => {
    const team = body.team?.id ?? body.user.team_id ?? '';
    const meta = safeJson(view.private_metadata) as { action?: string; ticket?: string };
    const values = viewValues(view);
    const from = await ctx.person(team, body.user.id);
    const value = `${meta.ticket ?? ''}${values.to ? ` --to ${values.to}` : ''}`;
    const reply = await ctx.deliver({
      kind: 'action',
      action: meta.action ?? '',
      value,
      text: values.text ?? '',
      key: `slack:${team}:view:${view.id}`,
      at: ctx.now(),
      from,
      place: place(team, `dm:${body.user.id}`),
      raw: body,
    });
    if (reply?.fieldErrors?.text) {
      await ack({ response_action: 'errors', errors: { text: reply.fieldErrors.text.slice(0, 150) } });
      return;
    }
    await ack();
    if (reply) {
      const dm = await client.conversations.open({ users: body.user.id }).catch(failed('conversations.open'));
      const channel = (dm as Any | undefined)?.channel?.id;
      if (channel)
        await client.chat.postMessage({ channel, ...replyMessage(reply), link_names: false, parse: 'none' }).catch(failed('chat.postMessage'));
    }
  });

  // Card buttons: `tierdesk:claim`, `tierdesk:kb.vote` etc.; the value is the ticket number (and flags) or the family's argument.
  app.action(/^tierdesk:/, async ({ ack, action, body, respond, client }) => {
    await ack();
    const a = action as Any;
    const b = body as Any;
    const name = actionOf(String(a.action_id));
    const team = b.team?.id ?? b.user?.team_id ?? '';
    const ticket = String(a.value ?? '').split(' ')[0] ?? '';
    if (NEEDS_TEXT.has(name)) {
      const tiers = ctx.tiers.map((t): [string, string] => [t.id, `${t.id} ${t.name}`]);
      await client.views.open({ trigger_id: b.trigger_id, view: actionTextModal(name, ticket, tiers) }).catch(failed('views.open'));
      return;
    }
    const from = await ctx.person(team, b.user.id);
    const channel = b.channel?.id ?? b.container?.channel_id ?? `dm:${b.user.id}`;
    const message = b.message?.ts ?? b.container?.message_ts;
    const reply = await ctx.deliver({
      kind: 'action',
      action: name,
      value: String(a.value ?? ''),
      key: `slack:${team}:action:${b.trigger_id ?? a.action_ts}`,
      at: ctx.now(),
      from,
      place: place(team, channel),
      ...(message ? { message } : {}),
      raw: body,
    });
    if (!reply) return;
    if (typeof respond === 'function' && b.response_url !== undefined) {
      await respond({ ...ephemeral(reply), replace_original: false }).catch(failed('respond'));
      return;
    }
    // A button on the App Home has no response_url: answer by DM and refresh the Home tab.
    const dm = (await client.conversations.open({ users: b.user.id }).catch(failed('conversations.open'))) as Any | undefined;
    if (dm?.channel?.id)
      await client.chat
        .postMessage({ channel: dm.channel.id, ...replyMessage(reply), link_names: false, parse: 'none' })
        .catch(failed('chat.postMessage'));
    if (b.view?.type === 'home') {
      const home = await ctx.deliver({
        kind: 'command',
        name: 'home',
        key: `slack:${team}:home:${b.trigger_id ?? a.action_ts}`,
        at: ctx.now(),
        from,
        place: place(team, `dm:${b.user.id}`),
      });
      if (home) await ctx.publishHome(b.user.id, home).catch(failed('views.publish'));
    }
  });

  // Message shortcut "Create ticket": the form, filled in from the message.
  app.shortcut(CREATE_TICKET_SHORTCUT, async ({ ack, shortcut, client }) => {
    await ack();
    const s = shortcut as Any;
    const text: string = fromSlack(s.message?.text ?? '');
    let link = '';
    try {
      link = ((await client.chat.getPermalink({ channel: s.channel.id, message_ts: s.message.ts })) as Any).permalink ?? '';
    } catch {
      // no link is fine
    }
    const title = (text.split('\n').find((l: string) => l.trim() !== '') ?? '').slice(0, 200);
    const description = `${text}${link ? `\n\nFrom: ${link}` : ''}`.slice(0, 3000);
    const form = newTicketModal({
      ...ctx.defaults,
      title,
      description,
      channel: s.channel?.id,
      from: 'shortcut',
      ...(ctx.categories ? { categories: ctx.categories } : {}),
    });
    await client.views.open({ trigger_id: s.trigger_id, view: form }).catch(failed('views.open'));
  });

  // Message shortcut "Mark as solution": the core decides who may; the answer goes to the presser
  // alone. A bot's message (tierdesk's own "Similar questions" card among them) is no one's answer:
  // refused here, and the core never hears of it.
  app.shortcut(MARK_SOLUTION_SHORTCUT, async ({ ack, shortcut, respond, context }) => {
    await ack();
    const s = shortcut as Any;
    const team = s.team?.id ?? s.user?.team_id ?? '';
    const channel: string = s.channel?.id ?? '';
    const m: Any = s.message ?? {};
    const ts: string = m.ts ?? s.message_ts ?? '';
    const rootTs: string = m.thread_ts ?? ts;
    const answer = async (reply: Reply) => {
      if (typeof respond === 'function' && s.response_url) await respond({ ...ephemeral(reply), replace_original: false }).catch(failed('respond'));
      else if (channel)
        await app.client.chat
          .postEphemeral({ channel, user: s.user.id, thread_ts: rootTs, ...replyMessage(reply) })
          .catch(failed('chat.postEphemeral'));
    };
    if (isBotMessage(m, context.botUserId)) return answer({ text: NOT_A_BOT_MESSAGE });
    const [from, author, link] = await Promise.all([
      ctx.person(team, s.user.id),
      ctx.person(team, String(m.user ?? m.bot_id ?? '')),
      ctx.permalink(channel, ts, rootTs),
    ]);
    const about: MessageRef = { id: ts, author, text: messageText(m), ...(link ? { link } : {}) };
    const reply = await ctx.deliver({
      kind: 'action',
      action: 'peer.solution',
      value: '',
      about,
      key: `slack:${team}:shortcut:${s.trigger_id ?? s.action_ts}`,
      at: ctx.now(),
      from,
      place: place(team, channel, rootTs),
      message: ts,
      raw: shortcut,
    });
    if (reply) await answer(reply);
  });

  app.event('reaction_added', async ({ event, body, client, context }) => {
    const e = event as Any;
    if (e.item?.type !== 'message') return;
    const channel = e.item.channel as string;
    const team = (body as Any).team_id ?? '';
    const key = `slack:${team}:event:${(body as Any).event_id}`;
    if (peerChannels.has(channel)) {
      // In a peer channel: the asker's ✅ marks a solution (the core decides whose counts).
      if (!SOLVED_REACTIONS.has(e.reaction) && e.reaction !== ctx.reaction) return;
      // The reacted message, to know its thread: a reply's root is the question.
      let reacted: Any | undefined;
      try {
        const r = (await client.conversations.replies({ channel, ts: e.item.ts, latest: e.item.ts, inclusive: true, limit: 1 })) as Any;
        reacted = ((r.messages ?? []) as Any[]).find((m) => m.ts === e.item.ts);
      } catch (err) {
        failed('reading the reacted message')(err);
      }
      const thread: string | undefined = reacted?.thread_ts && reacted.thread_ts !== e.item.ts ? reacted.thread_ts : undefined;
      const authorId: string | undefined = e.item_user ?? reacted?.user;
      // A ✅ on a bot's message (tierdesk's own cards among them) marks no one's answer: not forwarded.
      if (isBotMessage({ ...reacted, user: authorId }, context.botUserId)) {
        log.debug('slack: a reaction on a bot message is not a solution; ignored', { channel, ts: e.item.ts });
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
          .catch(failed('chat.postEphemeral'));
      return;
    }
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
      failed('reading the reacted message')(err);
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
    if (reply) await client.chat.postEphemeral({ channel, user: e.user, ...replyMessage(reply) }).catch(failed('chat.postEphemeral'));
  });

  // Messages: in threads (the agents' card thread, the requester's conversation, a question's
  // answers) and, in peer channels, top-level messages too (each one is a question).
  app.event('message', async ({ event, body, client }) => {
    const e = event as Any;
    if (e.subtype === 'message_changed' || e.subtype === 'message_deleted') return messageChange(e, body as Any);
    // Joins and bot posts are not conversation; a message with a file is (its text and the file names).
    if (!isConversation(e)) return;
    const team = (body as Any).team_id ?? e.team ?? '';
    const thread = e.thread_ts && e.thread_ts !== e.ts ? (e.thread_ts as string) : undefined;
    const peer = peerChannels.has(e.channel);
    if (!thread && !peer) return; // top-level chatter in other channels and DMs is not tierdesk's business
    const [from, link] = await Promise.all([ctx.person(team, e.user), peer ? ctx.permalink(e.channel, e.ts, thread) : Promise.resolve(undefined)]);
    const reply = await ctx.deliver({
      kind: 'message',
      text: messageText(e),
      id: e.ts,
      ...(link ? { link } : {}),
      key: `slack:${team}:event:${(body as Any).event_id}`,
      at: ctx.now(),
      from,
      place: place(team, e.channel, thread),
      raw: body,
    });
    if (reply) {
      if (e.channel_type === 'im')
        await client.chat
          .postMessage({ channel: e.channel, thread_ts: thread ?? e.ts, ...replyMessage(reply), link_names: false, parse: 'none' })
          .catch(failed('chat.postMessage'));
      else
        await client.chat
          .postEphemeral({ channel: e.channel, user: e.user, ...(thread ? { thread_ts: thread } : {}), ...replyMessage(reply) })
          .catch(failed('chat.postEphemeral'));
    }
  });

  /**
   * An edit or a deletion in a peer channel: the question or marked answer follows it (the core
   * decides). Elsewhere a ticket's conversation is its history, so nothing is forwarded. Nothing is
   * answered either: the change speaks for itself. The key names the change itself (an edit by its
   * `edited.ts`, a deletion by the message), so a repeat of it, however delivered, changes nothing.
   */
  async function messageChange(e: Any, body: Any): Promise<void> {
    const channel = String(e.channel ?? '');
    if (!peerChannels.has(channel)) return;
    const change = changeOf(e);
    if (!change) return;
    const team: string = body.team_id ?? e.team ?? '';
    const from = change.user && change.user !== SLACKBOT ? await ctx.person(team, change.user) : slackSystem(team);
    const at = ctx.now();
    const where = place(team, channel, change.thread);
    const reply =
      change.kind === 'edited'
        ? await ctx.deliver({
            kind: 'edited',
            message: change.ts,
            text: change.text,
            key: `slack:${team}:edit:${channel}:${change.ts}:${change.editTs ?? e.ts ?? e.event_ts}`,
            at,
            from,
            place: where,
            raw: body,
          })
        : await ctx.deliver({
            kind: 'deleted',
            message: change.ts,
            key: `slack:${team}:delete:${channel}:${change.ts}`,
            at,
            from,
            place: where,
            raw: body,
          });
    if (reply) log.debug('slack: a message change was answered; not shown to anyone', { kind: change.kind, channel });
  }

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
      place: place(team, e.channel ?? `dm:${e.user}`),
      raw: body,
    });
    if (reply) await ctx.publishHome(e.user, reply).catch(failed('views.publish'));
  });

  app.error(async (err) => failed('listener')(err));
}

/**
 * A message a bot wrote (another app's, or tierdesk's own, whose author is the bot user): no
 * person's answer. `botUserId` is tierdesk's bot user, as Bolt learnt it from `auth.test`.
 */
function isBotMessage(m: Any | undefined, botUserId: string | undefined): boolean {
  if (!m) return false;
  if (m.bot_id !== undefined && m.bot_id !== null && m.bot_id !== '') return true;
  if (m.subtype === 'bot_message') return true;
  return botUserId !== undefined && m.user === botUserId;
}

/** A message with a note above it: a context block, then the message's blocks (its text as a section when it has none). */
function withNote(message: { text: string; blocks?: types.KnownBlock[] }, note: string): { text: string; blocks: types.KnownBlock[] } {
  const blocks: types.KnownBlock[] = message.blocks ?? [{ type: 'section', text: { type: 'mrkdwn', text: message.text } }];
  if (blocks.length >= 50) return { text: message.text, blocks }; // Slack's limit: the answer matters more than the note
  return { text: message.text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: note }] }, ...blocks] };
}

/** A person's own message (a thread broadcast, one with files too), not a join, a bot post or a notice. */
function isConversation(m: Any): boolean {
  if (m.subtype !== undefined && m.subtype !== 'thread_broadcast' && m.subtype !== 'file_share') return false;
  return m.bot_id === undefined && typeof m.user === 'string' && m.user !== '';
}

/** An edit or a deletion, as the core needs it: `thread` is the root when the message is a reply. */
type MessageChange =
  | { kind: 'edited'; ts: string; thread?: string; user: string; text: string; editTs?: string }
  | { kind: 'deleted'; ts: string; thread?: string; user?: string };

/**
 * What a `message_changed` / `message_deleted` event changed, or undefined when nothing a person
 * wrote did: a bot's edit (tierdesk's own card updates among them), a notice, or a change that left
 * the words as they were (Slack unfurling a link, a thread's reply count moving). A thread root with
 * replies deleted is not `message_deleted` but a `message_changed` into a tombstone: a deletion too.
 */
function changeOf(e: Any): MessageChange | undefined {
  const threadOf = (m: Any, ts: string): string | undefined => (typeof m.thread_ts === 'string' && m.thread_ts !== ts ? m.thread_ts : undefined);
  const previous: Any | undefined = isObject(e.previous_message) ? e.previous_message : undefined;
  if (e.subtype === 'message_deleted') {
    const ts = typeof e.deleted_ts === 'string' ? e.deleted_ts : '';
    if (ts === '') return undefined;
    const thread = previous ? threadOf(previous, ts) : undefined;
    const user = previous && typeof previous.user === 'string' && previous.user !== '' ? previous.user : undefined;
    return { kind: 'deleted', ts, ...(thread ? { thread } : {}), ...(user ? { user } : {}) };
  }
  const m: Any = isObject(e.message) ? e.message : {};
  const ts = typeof m.ts === 'string' ? m.ts : '';
  if (ts === '') return undefined;
  const thread = threadOf(m, ts);
  if (m.subtype === 'tombstone') {
    const user = previous && typeof previous.user === 'string' && previous.user !== '' ? previous.user : undefined;
    return { kind: 'deleted', ts, ...(thread ? { thread } : {}), ...(user ? { user } : {}) };
  }
  if (!isConversation(m)) return undefined;
  const text = messageText(m);
  if (previous && messageText(previous) === text) return undefined;
  const editTs = isObject(m.edited) && typeof m.edited.ts === 'string' ? m.edited.ts : undefined;
  return { kind: 'edited', ts, ...(thread ? { thread } : {}), user: m.user, text, ...(editTs ? { editTs } : {}) };
}

/** Slack's own user: the author of tombstones and notices. */
const SLACKBOT = 'USLACKBOT';

/** Who a change is from when no person is named (or only Slack is, as on a tombstone): Slack itself. */
function slackSystem(team: string): Person {
  return { platform: 'slack', space: team, id: SLACKBOT, name: 'Slack' };
}

function isObject(v: unknown): v is Any {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A message's words: its text and the names (and links) of its files. */
function messageText(m: Any): string {
  const files = ((m.files ?? []) as Any[]).map((f) => `📎 ${f.name ?? f.title ?? 'a file'}${f.permalink ? ` (${f.permalink})` : ''}`);
  return [fromSlack(String(m.text ?? '')), ...files].filter(Boolean).join('\n');
}

/** Resolves with undefined after `ms` (1.5 s): past it, a command is acked first and answered later. */
function ackDeadline(ms = 1500): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}

/** The most a Slack text input holds. */
const MODAL_TEXT_MAX = 3000;

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '{}') ?? {};
  } catch {
    return {};
  }
}
