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

/** Run the action; resolves with the one line to show the person. */
export async function runTicketAction(desk: Desk, v: Viewer, number: number, action: string, form: URLSearchParams): Promise<string> {
  const base = {
    key: `web:${randomUUID()}`,
    at: desk.core.clock.now(),
    from: v.actor.person,
    place: { platform: 'web' as const, space: 'web', channel: 'dashboard' },
  };
  let event: Inbound;
  if (action === 'message') {
    const text = form.get('text') ?? '';
    if (text.trim() === '') return 'Write a message first.';
    event = { ...base, kind: 'message', ticket: number, text };
  } else {
    const sub = findSub(desk.core.catalogue.command('ticket')!, action);
    if (!sub) return `Unknown action "${action}".`;
    const args: Record<string, string> = { sub: action, number: String(number) };
    for (const a of sub.args ?? []) {
      if (a.name === 'number') continue;
      const value = form.get(a.name);
      // An optional field left empty is not given; a required one goes as '' so the use case names it.
      if (value !== null && (value.trim() !== '' || a.required)) args[a.name] = value;
    }
    event = { ...base, kind: 'command', name: 'ticket', args };
  }
  const reply = await desk.handle(event);
  return reply?.text.split('\n')[0] ?? (action === 'message' ? 'Sent.' : 'Done.');
}
