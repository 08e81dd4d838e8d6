/**
 * Neutral cards → Slack Block Kit. Everything from a card is text to show, never markup to obey:
 * `&`, `<` and `>` are escaped, so `<!channel>`, `<!here>` and `<@U…>` typed by a user are shown, not
 * pinged. Block Kit's limits are respected: long text is cut with a pointer to where the rest is.
 */
import type { types } from '@slack/bolt';
import type { Card, CardField } from '../../src/ports.js';
import { toSlack } from './text.js';

export const LIMITS = {
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  headerText: 150,
  blocks: 50,
  buttonText: 75,
  buttonValue: 2000,
  messageText: 3000,
} as const;

/** Escape text for Slack mrkdwn and plain_text (./text.ts). */
export const escapeSlack = toSlack;

/** Cut `text` to `max` characters, saying where the rest can be read. */
export function cut(text: string, max: number, rest = 'the rest is in /ticket show'): string {
  if (text.length <= max) return text;
  const note = `… (cut: ${rest})`;
  return text.slice(0, max - note.length) + note;
}

const UTC_INSTANT = /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/;

/**
 * A field's value, with its instant shown in each reader's own time zone (Slack's date token,
 * falling back to the UTC text for clients that cannot render it).
 */
export function fieldValue(field: CardField): string {
  const escaped = escapeSlack(field.value);
  if (field.instant === undefined) return escaped;
  const token = `<!date^${Math.floor(field.instant / 1000)}^{date_short_pretty} {time}|${escaped.match(UTC_INSTANT)?.[0] ?? escaped}>`;
  return UTC_INSTANT.test(escaped) ? escaped.replace(UTC_INSTANT, token) : `${escaped} (${token})`;
}

type Block = types.KnownBlock;

/** Split text into at most `max` escaped sections of ≤ 3,000 characters; cut the last with a pointer. */
export function sections(raw: string, max: number, rest?: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < raw.length && out.length < max) {
    // Take as much raw text as fits once escaped.
    let end = Math.min(raw.length, i + LIMITS.sectionText);
    while (escapeSlack(raw.slice(i, end)).length > LIMITS.sectionText) end = i + Math.floor((end - i) * 0.8);
    out.push(escapeSlack(raw.slice(i, end)));
    i = end;
  }
  if (i < raw.length && out.length > 0) {
    const note = `… (cut: ${rest ?? 'the full text is in /ticket show or /ticket history'})`;
    const last = out.pop()!;
    // Trim whole escaped characters off the end to make room for the note.
    let trimmed = last.slice(0, LIMITS.sectionText - note.length);
    trimmed = trimmed.replace(/&[a-z]{0,3}$/, '');
    out.push(trimmed + note);
  }
  return out;
}

/** The message for a card: blocks plus the notification text (the card's plain-text fallback). */
export function renderCard(card: Card, rest?: string): { text: string; blocks: Block[] } {
  const blocks: Block[] = [];
  blocks.push({ type: 'header', text: { type: 'plain_text', text: cut(card.title, LIMITS.headerText, rest), emoji: true } });
  // The only mentions a card makes: the user groups it deliberately notifies, by id.
  const ping = pingOf(card);
  if (ping) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: ping } });
  if (card.text) {
    // A section holds 3,000 characters; longer text gets up to three sections, then a pointer.
    // The raw text is split first and each piece escaped (escaping can grow it up to five times),
    // so no section ends inside an escaped character and nothing is lost without saying so.
    for (const section of sections(card.text, 3, rest)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: section } });
  }
  const fields = card.fields ?? [];
  for (let i = 0; i < fields.length; i += LIMITS.fields) {
    blocks.push({
      type: 'section',
      fields: fields
        .slice(i, i + LIMITS.fields)
        .map((f) => ({ type: 'mrkdwn', text: cut(`*${escapeSlack(f.label)}*\n${fieldValue(f)}`, LIMITS.fieldText, rest) })),
    });
  }
  const buttons = card.buttons ?? [];
  if (buttons.length > 0) {
    blocks.push({
      type: 'actions',
      elements: buttons.slice(0, 25).map((b, i, all) => ({
        type: 'button',
        action_id: actionId(b.action, all.slice(0, i).filter((o) => o.action === b.action).length),
        text: { type: 'plain_text', text: cut(b.label, LIMITS.buttonText), emoji: true },
        value: b.value.slice(0, LIMITS.buttonValue),
        ...(b.style ? { style: b.style } : {}),
      })),
    });
  }
  const context = card.tone === 'note' ? [':lock: Internal note: agents only, never shown to the requester', card.context] : [card.context];
  const lines = context.filter((c): c is string => Boolean(c));
  if (lines.length > 0)
    blocks.push({ type: 'context', elements: lines.map((c) => ({ type: 'mrkdwn', text: cut(escapeSlack(c), LIMITS.sectionText) })) });
  const text = cut(escapeSlack(card.fallback), LIMITS.messageText - (ping ? ping.length + 1 : 0), rest);
  return { text: ping ? `${ping} ${text}` : text, blocks: blocks.slice(0, LIMITS.blocks) };
}

/** A user group id as Slack mints them (`S0123ABCD`): nothing else may become a mention. */
const GROUP_ID = /^S[A-Z0-9]{2,20}$/;

/** `<!subteam^S…>` for each group a card deliberately notifies (well-formed ids only), or undefined. */
export function pingOf(card: Card): string | undefined {
  const ids = [...new Set(card.ping ?? [])].filter((id) => GROUP_ID.test(id));
  return ids.length > 0 ? ids.map((id) => `<!subteam^${id}>`).join(' ') : undefined;
}

/**
 * A button's action id: `tierdesk:<action>`. Slack refuses two elements with one action id in a
 * block, so a repeated action (three "This solved it" buttons) gets `#2`, `#3`… appended.
 */
export function actionId(action: string, repeat = 0): string {
  return repeat === 0 ? `tierdesk:${action}` : `tierdesk:${action}#${repeat + 1}`;
}

/** The router action a button's action id stands for: `tierdesk:kb.vote#2` → `kb.vote`. */
export function actionOf(actionIdText: string): string {
  return actionIdText.replace(/^tierdesk:/, '').replace(/#\d+$/, '');
}
