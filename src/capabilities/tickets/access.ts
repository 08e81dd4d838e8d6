import { UserError } from '../../domain/errors.js';
import { cleanLine } from '../../domain/text.js';
import type { Actor } from '../../core/directory.js';
import type { Request } from '../../core/request.js';
import type { Core, Target, Work } from '../../core/work.js';
import { isRequester, loadTicket, messageKeys, type Ticket } from './ticket-model.js';

/** Load a ticket for a change by an agent of its current tier, or refuse saying why. */
export async function ticketForAgent(core: Core, work: Work, req: Request, number: number, what: string): Promise<Ticket> {
  const ticket = await loadTicket(work.db, number);
  if (!core.directory.isAgentOf(req.actor, ticket.tier)) {
    const tier = core.directory.tier(ticket.tier);
    throw new UserError(
      'not_agent',
      `Only ${tier ? `${tier.name} (${tier.id})` : ticket.tier} agents can ${what} ticket #${number}, and you are not one of them.`,
    );
  }
  return ticket;
}

/** May this person see the ticket at all? The requester and every agent may. */
export function canSee(core: Core, actor: Actor, ticket: Ticket): boolean {
  const dir = core.directory;
  return isRequester(ticket, actor.person, dir) || dir.isAgent(actor) || dir.isLeadOfAny(actor);
}

/**
 * Whose view of tickets a person gets: the agents' (cards with SLA clocks, internal notes, the whole history,
 * every ticket in lists) for agents and leads, the requester's (their own, public words only) for anyone else.
 */
export function viewOf(core: Core, actor: Actor): 'agents' | 'requester' {
  return core.directory.isAgent(actor) || core.directory.isLeadOfAny(actor) ? 'agents' : 'requester';
}

/** Why a person may not see a ticket: the same words in chat, on the dashboard and in the API. */
export function notYoursText(n: number): string {
  return `Ticket #${n} is not yours: only its requester, the agents and the leads can see it.`;
}

export function assertCanSee(core: Core, actor: Actor, ticket: Ticket): void {
  // The same answer as for a missing ticket would leak less, but people need to know why.
  if (!canSee(core, actor, ticket)) throw new UserError('not_yours', notYoursText(ticket.number));
}

/** The thread where the requester and tierdesk talk about this ticket. */
export function requesterThread(t: Ticket): Target {
  return { kind: 'thread', of: messageKeys.requester(t.number) };
}

/** The thread under the ticket's card in its current tier's agent channel. */
export function agentThread(t: Ticket): Target {
  return { kind: 'thread', of: messageKeys.card(t.number, t.tier) };
}

/** Parse a ticket reference: `12` or `#12`. */
export function ticketNumber(text: string | undefined, usage: string): number {
  const m = /^#?(\d{1,9})$/.exec((text ?? '').trim());
  if (!m)
    throw new UserError(
      'bad_ticket_number',
      text ? `"${cleanLine(text).slice(0, 40)}" is not a ticket number. Usage: ${usage}` : `Which ticket? Usage: ${usage}`,
    );
  return Number(m[1]);
}
