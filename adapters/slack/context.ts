/**
 * What every Slack listener shares: the adapter's options, the way to the core, who a user is, and
 * the few ways of answering a person (ephemeral, by DM, a form).
 */
import type { App } from '@slack/bolt';
import type { Form, Inbound, Person, Place, Reply } from '../../src/ports.js';
import type { Intake } from '../../src/intake-port.js';
import { formView } from './modals.js';
import type { SlackAdapterOptions } from './options.js';
import { replyMessage, withNote } from './replies.js';

export interface ListenerContext extends SlackAdapterOptions {
  deliver: (event: Inbound) => Promise<Reply | void>;
  /** Admission control under load (absent: every request runs at once). */
  intake?: Intake;
  person: (team: string, user: string, nameHint?: string) => Promise<Person>;
  /** Who a user is without asking Slack, for a request queued under load (see SlackPeople.personNow). */
  personNow: (team: string, user: string, nameHint?: string) => Person;
  publishHome: (user: string, reply: Reply) => Promise<void>;
  /** A message's permalink (built from the workspace URL, else asked of Slack), or undefined. */
  permalink: (channel: string, ts: string, thread?: string) => Promise<string | undefined>;
}

export type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Client = App['client'];

/** Said above a form's answer sent by DM because it could not be shown where the form was opened. */
const ANSWERED_BY_DM = 'The answer to the form you just sent: it could not be shown in the conversation you opened the form from.';

export function slackPlace(team: string, channel: string, thread?: string): Place {
  return { platform: 'slack', space: team, channel, ...(thread ? { thread } : {}) };
}

/** A logger of failed Slack calls: the method, the error's message (never a token). */
export function failed(ctx: ListenerContext, what: string) {
  return (err: unknown) => ctx.logger.error(`slack ${what} failed`, { error: err instanceof Error ? err.message : String(err) });
}

/** Post `reply` in the person's DM with the app (opened if need be); `note` goes above it. */
export async function answerByDm(ctx: ListenerContext, client: Client, user: string, reply: Reply, note?: string): Promise<void> {
  const dm = (await client.conversations.open({ users: user }).catch(failed(ctx, 'conversations.open'))) as Any | undefined;
  const id: string | undefined = dm?.channel?.id;
  if (!id) return;
  const message = note ? withNote(replyMessage(reply), note) : replyMessage(reply);
  await client.chat.postMessage({ channel: id, ...message, link_names: false, parse: 'none' }).catch(failed(ctx, 'chat.postMessage'));
}

/**
 * The answer to something a person did from `channel` (a form they submitted), for them alone:
 * ephemeral there, else in their DM with the app, when it cannot be shown there (the bot is not in
 * that channel, it is a DM between people) or there is no channel. Never only logged: a form's
 * answer may be an offer of articles, and nothing is opened until the person answers it, with its
 * buttons, which work in the DM too.
 */
export async function answerPrivately(ctx: ListenerContext, client: Client, user: string, channel: string | undefined, reply: Reply): Promise<void> {
  if (channel && !channel.startsWith('dm:')) {
    try {
      await client.chat.postEphemeral({ channel, user, ...replyMessage(reply) });
      return;
    } catch (err) {
      ctx.logger.warn('slack: cannot answer in the channel; answering by DM', { channel, error: err instanceof Error ? err.message : String(err) });
    }
  }
  await answerByDm(ctx, client, user, reply, channel && !channel.startsWith('dm:') ? ANSWERED_BY_DM : undefined);
}

/**
 * Show a form the core answered with, as a modal opened with the trigger id (valid about 3 s: this
 * runs right after the core answered). `channel` is where its answer goes once submitted. A form
 * Slack cannot take is said in one line to the person instead of being lost without a word.
 */
export async function showForm(ctx: ListenerContext, client: Client, trigger: string, form: Form, channel: string | undefined, user: string) {
  const view = formView(form, { channel, categories: ctx.categories, defaults: ctx.defaults });
  if (!view)
    return answerPrivately(ctx, client, user, channel, {
      text: `The form "${form.title}" is too large for Slack; use the command with its words instead.`,
    });
  await client.views.open({ trigger_id: trigger, view }).catch(failed(ctx, 'views.open'));
}

/**
 * `work`'s value when it settles within `ms` (1.5 s), else undefined: past it, a command is acked
 * first and answered later. The timer is cleared when the work wins (the usual case), so a burst does
 * not leave thousands of pending timers behind it.
 */
export async function withinAckDeadline<T>(work: Promise<T>, ms = 1500): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms).unref()));
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '{}') ?? {};
  } catch {
    return {};
  }
}
