import { UserError } from '../domain/errors.js';
import type { Level, Priority } from '../domain/priority.js';
import type { TicketStatus } from '../domain/ticket.js';
import type { Person, Place, Platform } from '../ports.js';
import type { Db } from '../store/connect.js';
import type { TicketRow, TicketUpdate } from '../store/schema.js';
import { findTicket, updateTicket } from '../store/tickets.js';

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
  createdAt: number;
  updatedAt: number;
  firstResponseAt?: number;
  resolvedAt?: number;
  closedAt?: number;
  resolution?: string;
  revision: number;
}

export function ticketFromRow(r: TicketRow): Ticket {
  const t: Ticket = {
    number: Number(r.number),
    title: r.title,
    description: r.description,
    impact: r.impact as Level,
    urgency: r.urgency as Level,
    priority: r.priority as Priority,
    tier: r.tier,
    status: r.status as TicketStatus,
    requester: { platform: r.requester_platform as Platform, space: r.requester_space, id: r.requester_id, name: r.requester_name },
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    revision: Number(r.revision),
  };
  if (r.category !== null) t.category = r.category;
  if (r.product !== null) t.product = r.product;
  if (r.product_version !== null) t.version = r.product_version;
  if (r.origin !== null) t.origin = JSON.parse(r.origin) as Place;
  if (r.assignee !== null) t.assignee = r.assignee;
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
export class TicketConflict extends Error {
  constructor(readonly number: number) {
    super(`ticket #${number} changed concurrently`);
    this.name = 'TicketConflict';
  }
}

/** Write `patch` (stamping updated_at), or throw TicketConflict if the ticket changed since it was loaded. */
export async function saveTicket(db: Db, ticket: Ticket, patch: TicketUpdate, now: number): Promise<void> {
  const ok = await updateTicket(db, ticket.number, ticket.revision, { ...patch, updated_at: now });
  if (!ok) throw new TicketConflict(ticket.number);
}

export function isRequester(ticket: Ticket, person: Person): boolean {
  const r = ticket.requester;
  return r.platform === person.platform && r.space === person.space && r.id === person.id;
}

/** Keys of the messages a ticket owns. */
export const messageKeys = {
  card: (n: number, tier: string) => `ticket:${n}:card:${tier}`,
  requester: (n: number) => `ticket:${n}:requester`,
};
