/**
 * A form posted from `/tickets/N`, turned into the Inbound event chat would send: a `/ticket` sub-
 * command with structured arguments (only the ones its declaration names), or, for a requester's
 * reply, a message in the ticket's conversation. The desk's `handle` checks who may, as for chat.
 */
import { randomUUID } from 'node:crypto';
import type { Desk } from '../../src/core/desk.js';
import { findSub } from '../../src/core/catalogue.js';
import type { Inbound } from '../../src/ports.js';
import { AGENT_ACTIONS, REQUESTER_ACTIONS } from './ticket-page.js';
import type { Viewer } from './viewer.js';

const ACTIONS: ReadonlySet<string> = new Set([...AGENT_ACTIONS, ...REQUESTER_ACTIONS]);

export function isTicketAction(name: string): boolean {
  return ACTIONS.has(name);
}

/**
 * The Inbound event a ticket action is, as chat would send it: a `/ticket` sub-command with only the
 * arguments its declaration names (an optional one left empty is not given; a required one goes as
 * '' so the use case names it), or a requester's `message` in the ticket's conversation. Undefined
 * when there is no such action.
 */
export function ticketEvent(
  desk: Desk,
  v: Viewer,
  number: number,
  action: string,
  values: (name: string) => string | undefined,
  key = `web:${randomUUID()}`,
): Inbound | undefined {
  const base = { key, at: desk.core.clock.now(), from: v.actor.person, place: { platform: 'web' as const, space: 'web', channel: 'dashboard' } };
  if (action === 'message') return { ...base, kind: 'message', ticket: number, text: values('text') ?? '' };
  const sub = findSub(desk.core.catalogue.command('ticket')!, action);
  if (!sub) return undefined;
  const args: Record<string, string> = { sub: sub.name, number: String(number) };
  for (const a of sub.args ?? []) {
    if (a.name === 'number') continue;
    const value = values(a.name);
    if (value !== undefined && (value.trim() !== '' || a.required)) args[a.name] = value;
  }
  return { ...base, kind: 'command', name: 'ticket', args };
}

/** Run the action; resolves with the one line to show the person. */
export async function runTicketAction(desk: Desk, v: Viewer, number: number, action: string, form: URLSearchParams): Promise<string> {
  if (action === 'message' && (form.get('text') ?? '').trim() === '') return 'Write a message first.';
  const event = ticketEvent(desk, v, number, action, (name) => form.get(name) ?? undefined);
  if (!event) return `Unknown action "${action}".`;
  const reply = await desk.handle(event);
  return reply?.text.split('\n')[0] ?? (action === 'message' ? 'Sent.' : 'Done.');
}
