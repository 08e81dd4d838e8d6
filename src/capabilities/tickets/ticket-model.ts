import { ConflictError, UserError } from '../../domain/errors.js';
import type { Level, Priority } from '../../domain/priority.js';
import type { TicketStatus } from '../../domain/ticket.js';
import type { Person, Place, Platform } from '../../ports.js';
import type { Db } from '../../store/connect.js';
import type { Directory } from '../../core/directory.js';
import { closePauses, openPause } from '../../store/sla-pauses.js';
import { findTicket, updateTicket, type TicketPatch, type TicketRecord } from '../../store/tickets.js';

/** A ticket as the use cases see it. */
export interface Ticket {
  number: number;
  title: string;
  description: string;
  category?: string;
  product?: string;
  version?: string;
  impact: Level;
  urgency: Level;
  priority: Priority;
  tier: string;
  status: TicketStatus;
  requester: Person;
  origin?: Place;
  assignee?: string;
  assigneeName?: string;
  createdAt: number;
  updatedAt: number;
  firstResponseAt?: number;
  resolvedAt?: number;
  closedAt?: number;
  resolution?: string;
  revision: number;
  /** The SLA policy's name, when one applies. */
  slaPolicy?: string;
  /** The requester's customer group the policy was chosen for. */
  slaGroup?: string;
  /** SLA warnings and breaches already announced, e.g. `first_response:75`, `resolution:breach`. */
  slaMarks: string[];
}

export function ticketFromRow(r: TicketRecord): Ticket {
  const t: Ticket = {
    number: Number(r.number),
    title: r.title,
    description: r.description,
    impact: r.impact as Level,
    urgency: r.urgency as Level,
    priority: r.priority as Priority,
    tier: r.tier,
    status: r.status as TicketStatus,
    requester: {
      platform: r.requester_platform as Platform,
      space: r.requester_space,
      id: r.requester_id,
      name: r.requester_name,
      ...(r.requester_zone ? { zone: r.requester_zone } : {}),
    },
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    revision: Number(r.revision),
    slaMarks: r.sla_marks,
  };
  if (r.sla_policy !== null) t.slaPolicy = r.sla_policy;
  if (r.sla_group !== null) t.slaGroup = r.sla_group;
  if (r.category !== null) t.category = r.category;
  if (r.product !== null) t.product = r.product;
  if (r.product_version !== null) t.version = r.product_version;
  if (r.origin !== null) t.origin = r.origin;
  if (r.assignee !== null) t.assignee = r.assignee;
  if (r.assignee_name !== null) t.assigneeName = r.assignee_name;
  if (r.first_response_at !== null) t.firstResponseAt = Number(r.first_response_at);
  if (r.resolved_at !== null) t.resolvedAt = Number(r.resolved_at);
  if (r.closed_at !== null) t.closedAt = Number(r.closed_at);
  if (r.resolution !== null) t.resolution = r.resolution;
  return t;
}

/** Load ticket `number` or refuse with a clear message. */
export async function loadTicket(db: Db, number: number): Promise<Ticket> {
  const row = await findTicket(db, number);
  if (!row) throw new UserError('no_such_ticket', `There is no ticket #${number}.`);
  return ticketFromRow(row);
}

/** Raised when another writer changed the ticket first; the caller's transaction is retried. */
export class TicketConflict extends ConflictError {
  constructor(readonly number: number) {
    super(`ticket #${number} changed concurrently`, `Ticket #${number} is being changed by someone else right now; try again.`);
    this.name = 'TicketConflict';
  }
}

/**
 * Write `patch` (stamping updated_at), or throw TicketConflict if the ticket changed since it was
 * loaded. A status change also opens or closes the SLA pauses it implies: waiting on the requester
 * stops both clocks; time spent resolved does not count if the ticket is reopened.
 */
export async function saveTicket(work: { db: Db; now: number; core: { newId: () => string } }, ticket: Ticket, patch: TicketPatch): Promise<void> {
  const ok = await updateTicket(work.db, ticket.number, ticket.revision, { ...patch, updated_at: work.now });
  if (!ok) throw new TicketConflict(ticket.number);
  const to = patch.status as TicketStatus | undefined;
  if (to === undefined || to === ticket.status) return;
  for (const reason of ['waiting_on_requester', 'resolved'] as const) {
    const pause = reason === 'waiting_on_requester' ? 'waiting' : 'resolved';
    if (ticket.status === reason) await closePauses(work.db, ticket.number, pause, work.now);
    if (to === reason) await openPause(work.db, work.core.newId(), ticket.number, pause, work.now);
  }
}

/** Did this person raise the ticket, on any platform (one configured person is one requester everywhere)? */
export function isRequester(ticket: Ticket, person: Person, directory: Pick<Directory, 'samePerson'>): boolean {
  return directory.samePerson(ticket.requester, person);
}

/** Keys of the messages a ticket owns. */
export const messageKeys = {
  card: (n: number, tier: string) => `ticket:${n}:card:${tier}`,
  requester: (n: number) => `ticket:${n}:requester`,
};
