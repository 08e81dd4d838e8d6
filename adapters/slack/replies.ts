/** Answers shown to one person (ephemeral, response_url, a DM), rendered from the core's Reply. */
import type { types } from '@slack/bolt';
import type { Reply } from '../../src/ports.js';
import { escapeSlack, LIMITS, renderCard, sections } from './block-kit.js';

type Block = types.KnownBlock;

/**
 * An answer shown to one person (ephemeral, response_url, a DM): its text, and its cards as blocks
 * when it has any (a search's results with their buttons), within Slack's 50 blocks.
 */
export function replyMessage(reply: Reply): { text: string; blocks?: Block[] } {
  const text = replyText(reply);
  const cards = reply.cards ?? (reply.card ? [reply.card] : []);
  if (cards.length === 0) return { text };
  const blocks: Block[] = [];
  // The text is shown too unless it only repeats the cards.
  const repeats = reply.text.trim() === '' || reply.text === cards.map((c) => c.fallback).join('\n\n') || reply.text === cards[0]!.fallback;
  if (!repeats) for (const section of sections(reply.text, 1)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: section } });
  for (const card of cards) {
    const rendered = renderCard(card).blocks;
    if (blocks.length + rendered.length + (blocks.length > 0 ? 1 : 0) > LIMITS.blocks - 1) {
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'More than fits here.' }] });
      break;
    }
    if (blocks.length > 0) blocks.push({ type: 'divider' });
    blocks.push(...rendered);
  }
  return { text, blocks };
}

/**
 * Text for an ephemeral answer: escaped, so nothing in it pings or links; a reference to a channel
 * by id (`<#C0123>`, which notifies nobody) stays a link to the channel.
 */
export function replyText(reply: Reply): string {
  return escapeSlack(reply.text)
    .replace(/&lt;#([CG][A-Z0-9]{2,20})&gt;/g, '<#$1>')
    .slice(0, 3000);
}

/** An ephemeral answer (a slash command's ack, response_url). */
export function ephemeral(reply: Reply) {
  return { response_type: 'ephemeral' as const, ...replyMessage(reply) };
}

/** A message with a note above it: a context block, then the message's blocks (its text as a section when it has none). */
export function withNote(message: { text: string; blocks?: Block[] }, note: string): { text: string; blocks: Block[] } {
  const blocks: Block[] = message.blocks ?? [{ type: 'section', text: { type: 'mrkdwn', text: message.text } }];
  if (blocks.length >= 50) return { text: message.text, blocks }; // Slack's limit: the answer matters more than the note
  return { text: message.text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: note }] }, ...blocks] };
}
