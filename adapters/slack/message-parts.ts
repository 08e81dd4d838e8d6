/** Reading Slack messages: whose they are, their words, and what an edit or a deletion changed. */
import type { Person } from '../../src/ports.js';
import type { Any } from './context.js';
import { fromSlack } from './text.js';

/**
 * A message a bot wrote (another app's, or tierdesk's own, whose author is the bot user): no
 * person's answer. `botUserId` is tierdesk's bot user, as Bolt learnt it from `auth.test`.
 */
export function isBotMessage(m: Any | undefined, botUserId: string | undefined): boolean {
  if (!m) return false;
  if (m.bot_id !== undefined && m.bot_id !== null && m.bot_id !== '') return true;
  if (m.subtype === 'bot_message') return true;
  return botUserId !== undefined && m.user === botUserId;
}

/** A person's own message (a thread broadcast, one with files too), not a join, a bot post or a notice. */
export function isConversation(m: Any): boolean {
  if (m.subtype !== undefined && m.subtype !== 'thread_broadcast' && m.subtype !== 'file_share') return false;
  return m.bot_id === undefined && typeof m.user === 'string' && m.user !== '';
}

/** An edit or a deletion, as the core needs it: `thread` is the root when the message is a reply. */
export type MessageChange =
  | { kind: 'edited'; ts: string; thread?: string; user: string; text: string; editTs?: string }
  | { kind: 'deleted'; ts: string; thread?: string; user?: string };

/**
 * What a `message_changed` / `message_deleted` event changed, or undefined when nothing a person
 * wrote did: a bot's edit (tierdesk's own card updates among them), a notice, or a change that left
 * the words as they were (Slack unfurling a link, a thread's reply count moving). A thread root with
 * replies deleted is not `message_deleted` but a `message_changed` into a tombstone: a deletion too.
 */
export function changeOf(e: Any): MessageChange | undefined {
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
export const SLACKBOT = 'USLACKBOT';

/** Who a change is from when no person is named (or only Slack is, as on a tombstone): Slack itself. */
export function slackSystem(team: string): Person {
  return { platform: 'slack', space: team, id: SLACKBOT, name: 'Slack' };
}

function isObject(v: unknown): v is Any {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A message's words: its text and the names (and links) of its files. */
export function messageText(m: Any): string {
  const files = ((m.files ?? []) as Any[]).map((f) => `📎 ${f.name ?? f.title ?? 'a file'}${f.permalink ? ` (${f.permalink})` : ''}`);
  return [fromSlack(String(m.text ?? '')), ...files].filter(Boolean).join('\n');
}
