import { createHash } from 'node:crypto';
import type { Card } from '../ports.js';

/** Instants already written, by minute: every card shows the same few (opened, updated, due) again and again. */
const formatted = new Map<number, string>();

/** An instant as people read it in plain text: `2024-03-08 21:00 UTC`. Platforms localise in their renderers. */
export function formatInstant(ms: number): string {
  const minute = Math.floor(ms / 60_000);
  let text = formatted.get(minute);
  if (text === undefined) {
    text = new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
    if (formatted.size >= 512) formatted.clear();
    formatted.set(minute, text);
  }
  return text;
}

/** The command a button is the twin of: `claim` → `/ticket claim V`, `kb.vote` → `/kb vote V`. */
export function commandOf(action: string, value: string): string {
  const dot = action.indexOf('.');
  const command = dot < 0 ? `/ticket ${action}` : `/${action.slice(0, dot)} ${action.slice(dot + 1)}`;
  return value === '' ? command : `${command} ${value}`;
}

/** The complete plain-text rendering of a card, used by the console and as a platform fallback. */
export function fallbackOf(card: Omit<Card, 'fallback'>): string {
  const lines = [card.title];
  if (card.text) lines.push(card.text);
  if (card.fields && card.fields.length > 0) lines.push(card.fields.map((f) => `${f.label}: ${f.value}`).join(' · '));
  if (card.buttons && card.buttons.length > 0)
    lines.push('Actions: ' + card.buttons.map((b) => `[${b.label}] ${commandOf(b.action, b.value)}`).join('  '));
  if (card.context) lines.push(card.context);
  return lines.join('\n');
}

export function card(parts: Omit<Card, 'fallback'>): Card {
  // Not `{ ...parts, fallback }`: V8 (Node 20) builds an object whose spread is followed by more
  // properties some 40 times slower than a copy (ARCHITECTURE.md, "What opening a ticket costs").
  return Object.assign({}, parts, { fallback: fallbackOf(parts) });
}

export function clip(text: string, max: number, pointer = ''): string {
  return text.length <= max ? text : `${text.slice(0, max - 1 - pointer.length)}…${pointer}`;
}

/** A short fingerprint of a card's whole content: two cards with the same one look the same everywhere. */
export function cardFingerprint(card: Card): string {
  return createHash('sha1').update(JSON.stringify(card)).digest('base64url');
}
