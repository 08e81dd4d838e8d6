import type { Place, Platform } from '../ports.js';
import type { OutboxItem } from '../store/outbox.js';

/** The place of a message tierdesk posted, as the messages table stores it. */
export function placeOf(msg: { platform: string; space: string; channel: string; thread: string | null }): Place {
  const place: Place = { platform: msg.platform as Platform, space: msg.space, channel: msg.channel };
  if (msg.thread !== null) place.thread = msg.thread;
  return place;
}

/**
 * Rows of one conversation are delivered in order. A ticket has two: the agents' side (its cards,
 * their edits, the threads under them) and the requester's side (their anchor message and its
 * thread), so a failing agent channel does not hold up the requester, nor the other way round.
 * A webhook's events are ordered per (webhook, ticket). Other messages are ordered per destination.
 */
export function conversationOf(row: OutboxItem): string {
  const t = row.target;
  // A webhook's events are in order per ticket; one failing endpoint holds up only its own lane.
  if (row.body.op === 'webhook' && t.kind === 'place') return `webhook:${t.place.channel}:${row.ticket ?? ''}`;
  if (row.ticket !== null) {
    const key = row.message_key ?? (t.kind === 'thread' ? t.of : undefined);
    if (key?.endsWith(':requester')) return `ticket:${row.ticket}:requester`;
    if (t.kind === 'direct') return `ticket:${row.ticket}:dm:${t.person.platform}:${t.person.id}`;
    if (t.kind === 'private') return `ticket:${row.ticket}:requester`;
    return `ticket:${row.ticket}:agents`;
  }
  // A keyed message and everything in its thread are one conversation: the thread's rows wait in
  // line behind it instead of finding it not posted yet (a peer question and its first replies).
  if (row.op === 'post' && row.message_key !== null) return `thread:${row.message_key}`;
  // Granting a group rewrites its member list (Slack): one at a time per group, across replicas too.
  if (row.body.op === 'grant') return `grant:${t.kind === 'direct' ? t.person.platform : ''}:${row.body.group}`;
  // A handle's member list: one change at a time per group, in the order they were decided.
  if (row.body.op === 'handle' && t.kind === 'place') return `handle:${t.place.platform}:${t.place.channel}`;
  if (t.kind === 'place') return `place:${t.place.platform}:${t.place.channel}:${t.place.thread ?? ''}`;
  if (t.kind === 'direct' || t.kind === 'private') return `dm:${t.person.platform}:${t.person.space}:${t.person.id}`;
  return `thread:${t.of}`;
}
