import { UserError } from '../domain/errors.js';
import { cleanLine } from '../domain/text.js';
import type { Place } from '../ports.js';
import { recordInboundKey } from '../store/inbound-keys.js';
import type { Actor } from './directory.js';
import { TicketConflict, isRequester, loadTicket, messageKeys, type Ticket } from '../capabilities/tickets/ticket-model.js';
import { inTransaction, type Core, type Target, type Work } from './work.js';
import { agentCard, requesterCard } from './render.js';
import { scheduleSla, slaFields, slaSnapshot } from '../capabilities/sla/clocks.js';
import { pageField } from '../capabilities/oncall/paging.js';
import { QuestionConflict } from '../capabilities/peer/questions.js';

/** Who asks, from where, and the inbound event's idempotency key (recorded with the state change). */
export interface Request {
  actor: Actor;
  place: Place;
  key?: string;
}

/** Thrown inside a transaction when the inbound key was already processed; the router stays silent. */
export class DuplicateEvent extends Error {
  constructor(readonly key: string) {
    super(`duplicate inbound event ${key}`);
    this.name = 'DuplicateEvent';
  }
}

/**
 * One state change: records the request's idempotency key, then runs `fn`, all in one transaction.
 * A concurrent change to the same ticket (optimistic revision check) retries the whole unit.
 */
export async function change<T>(core: Core, req: Request, fn: (work: Work) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(core, async (work) => {
        if (req.key !== undefined && !(await recordInboundKey(work.db, req.key, work.now))) throw new DuplicateEvent(req.key);
        return fn(work);
      });
    } catch (err) {
      // A lost optimistic check, or PostgreSQL choosing this transaction as a deadlock or
      // serialization victim: the whole unit is safe to run again.
      if ((err instanceof TicketConflict || err instanceof QuestionConflict || isRetryableDbError(err)) && attempt < 3) continue;
      if (err instanceof TicketConflict) throw new UserError('busy', `Ticket #${err.number} is being changed by someone else right now; try again.`);
      if (err instanceof QuestionConflict)
        throw new UserError('busy', `Question Q${err.number} is being changed by someone else right now; try again.`);
      throw err;
    }
  }
}

/** PostgreSQL's deadlock (40P01) and serialization failure (40001): retry the transaction. */
function isRetryableDbError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

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
  return isRequester(ticket, actor.person, core.directory) || core.directory.isAgent(actor);
}

export function assertCanSee(core: Core, actor: Actor, ticket: Ticket): void {
  // The same answer as for a missing ticket would leak less, but people need to know why.
  if (!canSee(core, actor, ticket))
    throw new UserError('not_yours', `Ticket #${ticket.number} is not yours: only its requester and the agents can see it.`);
}

/** The thread where the requester and tierdesk talk about this ticket. */
export function requesterThread(t: Ticket): Target {
  return { kind: 'thread', of: messageKeys.requester(t.number) };
}

/** The thread under the ticket's card in its current tier's agent channel. */
export function agentThread(t: Ticket): Target {
  return { kind: 'thread', of: messageKeys.card(t.number, t.tier) };
}

/**
 * After a change: bring both of the ticket's cards (current tier, requester) up to date in place,
 * and move its SLA timers to match the clocks.
 */
export async function refreshCards(core: Core, work: Work, t: Ticket): Promise<void> {
  const sla = await slaSnapshot(core, work.db, t, work.now);
  const page = await pageField(work.db, t.number);
  await work.edit(messageKeys.card(t.number, t.tier), agentCard(t, core.directory, [...slaFields(sla), ...page]), t.number);
  await work.edit(messageKeys.requester(t.number), requesterCard(t, core.directory), t.number);
  await scheduleSla(core, work, t, sla);
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
