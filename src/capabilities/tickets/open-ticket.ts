import { UserError } from '../../domain/errors.js';
import { priorityOf } from '../../domain/priority.js';
import type { CardField, Place, Reply } from '../../ports.js';
import { countOpenTicketsOf, findSameRecentTicket, insertTicket, lastTicketOpenedBy, type NewTicket } from '../../store/tickets.js';
import { lockRequester } from '../../store/requester-lock.js';
import type { Db } from '../../store/connect.js';
import { agentCard, requesterCard } from './cards.js';
import { change, type Request } from '../../core/request.js';
import { messageKeys, type Ticket } from './ticket-model.js';
import { policyFor, scheduleSla, slaFailedField, slaFields, snapshotWith } from '../sla/clocks.js';
import { maybePage, outsideHours, pageField } from '../oncall/paging.js';
import type { Core, Target, Work } from '../../core/work.js';
import type { Actor } from '../../core/directory.js';
import type { TierConfig } from '../../config/config.js';

/**
 * `first` runs at the start of the unit of work that opens the ticket (or records the offer before
 * it): what the ticket is made from (a kept DM) is taken in the same transaction, so a failure
 * anywhere leaves it in place. It throws to refuse.
 */
export interface UnitOptions {
  first?: (work: Work) => Promise<void>;
}

import { validateNewTicket, type NewTicketInput, type ValidTicket } from './ticket-input.js';

export { validateNewTicket, type NewTicketInput, type ValidTicket };

/**
 * Spam protection for public communities: an open-ticket cap and a cooldown per requester. Call it in
 * the transaction that opens the ticket: it locks the requester until that transaction ends.
 */
export async function checkRequesterLimits(core: Core, req: Request, db: Db, now: number): Promise<void> {
  const { maxOpenPerRequester: cap, cooldownMs } = core.config.tickets;
  if ((cap === undefined && cooldownMs === undefined) || core.directory.isAgent(req.actor)) return;
  // Held until commit: a concurrent open by the same person waits here and then counts this one.
  await lockRequester(db, req.actor.person);
  if (cap !== undefined && (await countOpenTicketsOf(db, req.actor.person)) >= cap) {
    throw new UserError(
      'too_many_open',
      `You already have ${cap} open ticket${cap === 1 ? '' : 's'}, the most allowed here. Add to one of them (/ticket list) or wait until one is resolved.`,
    );
  }
  if (cooldownMs !== undefined) {
    const last = await lastTicketOpenedBy(db, req.actor.person);
    if (last !== undefined && now - last < cooldownMs) {
      const wait = Math.ceil((cooldownMs - (now - last)) / 1000);
      throw new UserError('cooldown', `You opened a ticket moments ago; you can open another in ${wait} second${wait === 1 ? '' : 's'}.`);
    }
  }
}

/**
 * Open a ticket: the next number, the priority from the matrix, the entry tier (routing by
 * category), a card in that tier's agent channel and the requester's confirmation, in one transaction.
 */
export async function openTicket(core: Core, req: Request, input: NewTicketInput, opts: UnitOptions = {}): Promise<Reply> {
  const v = validateNewTicket(core, input);
  const opened = await change(
    core,
    req,
    async (work) => {
      await opts.first?.(work);
      // One requester's opens take turns (PostgreSQL replicas too), so a double send finds its first ticket.
      // Taken with the idempotency key where there is one (held already, then).
      await lockRequester(work.db, req.actor.person);
      const again = await findSameRecentTicket(work.db, req.actor.person, v, work.now - SAME_TICKET_WINDOW_MS);
      if (again) return { again };
      await checkRequesterLimits(core, req, work.db, work.now);
      return { ticket: await createTicket(core, work, req.actor, req.place, v) };
    },
    { lockRequester: true },
  );
  return opened.ticket ? openedReply(core, opened.ticket) : sameTicketReply(opened.again!, core.clock.now());
}

/**
 * How long the same ticket sent again (same person, title and description) is the first one: long
 * enough for someone who saw "operation timed out" to try again, short enough that a real second
 * problem with the same words a day later is a new ticket.
 */
export const SAME_TICKET_WINDOW_MS = 10 * 60_000;

function sameTicketReply(first: { number: number; createdAt: number }, now: number): Reply {
  const s = Math.max(0, Math.round((now - first.createdAt) / 1000));
  const ago = s < 60 ? `${s} second${s === 1 ? '' : 's'}` : `${Math.round(s / 60)} minute${Math.round(s / 60) === 1 ? '' : 's'}`;
  return {
    text: `You already opened #${first.number} ${ago} ago with the same title and description: it is that ticket, and it is in the queue. Add anything new to it; a different problem gets a different title.`,
  };
}

/** What the requester is told when their ticket is open (also after a deflection offer: src/app/deflection.ts). */
export function openedReply(core: Core, ticket: Ticket): Reply {
  const tier = core.directory.tier(ticket.tier);
  return {
    text: `Ticket #${ticket.number} opened (${ticket.priority}, ${tier?.name ?? ticket.tier}). Our answers will reach you in the ticket's private conversation.`,
  };
}

export interface CreateOptions {
  /** Where the requester's conversation lives instead of a private thread or DM (a peer question's thread). */
  requesterTarget?: Target;
  /** The tier to enter instead of the routing's choice. */
  tier?: string;
}

/** Create a validated ticket inside `work`: the row, its history, its cards, its SLA timers, a page if due. */
export async function createTicket(
  core: Core,
  work: Work,
  actor: Actor,
  place: Place,
  valid: ValidTicket,
  opts: CreateOptions = {},
): Promise<Ticket> {
  const { ticket: unnumbered, tier } = newTicket(core, work, actor, place, valid, opts);
  const policy = policyFor(core, unnumbered);
  const t: Ticket = { number: await insertTicket(work.db, newTicketRow(unnumbered, policy?.name)), ...unnumbered };
  let clockFailure: string | undefined;
  const sla = snapshotWith(core, t, [], work.now, (why) => (clockFailure = why));
  const slaLines = () => (clockFailure !== undefined && policy ? [slaFailedField(policy.name, clockFailure)] : slaFields(sla));
  await work.event(t.number, actor, 'opened', {
    title: t.title,
    tier: t.tier,
    priority: t.priority,
    impact: t.impact,
    urgency: t.urgency,
    ...(t.category ? { category: t.category } : {}),
  });
  if (clockFailure !== undefined) await work.event(t.number, 'system', 'sla_clock_failed', { policy: policy?.name, error: clockFailure });
  await postTicketCards(core, work, t, tier, slaLines(), opts.requesterTarget);
  if (sla) await scheduleSla(core, work, t, sla); // a new ticket has no timers to cancel
  if (outsideHours(core, t, work.now) && (await maybePage(core, work, t, 'opened_outside_hours'))) {
    await work.edit(
      messageKeys.card(t.number, tier.id),
      agentCard(t, core.directory, [...slaLines(), ...(await pageField(work.db, t.number))]),
      t.number,
    );
  }
  return t;
}

/**
 * The new ticket as it will be stored: its fields settled by the capabilities' intake, its tier (asked
 * for, else chosen by intake, else routed by category and product), its priority from the matrix. Its
 * number comes with its row (`insertTicket`).
 */
function newTicket(
  core: Core,
  work: Work,
  actor: Actor,
  place: Place,
  valid: ValidTicket,
  opts: CreateOptions,
): { ticket: Omit<Ticket, 'number'>; tier: TierConfig } {
  const { tier: routed, ...settled } = core.catalogue.intake(
    core.config,
    { category: valid.category, product: valid.product, version: valid.version },
    work.now,
  );
  const v = Object.assign({}, valid, settled);
  const tier =
    (opts.tier !== undefined ? core.directory.tier(opts.tier) : undefined) ??
    (routed !== undefined ? core.directory.tier(routed) : undefined) ??
    core.directory.entryTier(v.category, v.product, v.version);
  const origin = place.channel.startsWith('dm:') ? undefined : place;
  const group = core.directory.customerGroupOf(actor);
  const ticket: Omit<Ticket, 'number'> = {
    title: v.title,
    description: v.description,
    impact: v.impact,
    urgency: v.urgency,
    priority: priorityOf(core.config.priority.matrix, v.impact, v.urgency),
    tier: tier.id,
    status: 'open',
    requester: actor.person,
    createdAt: work.now,
    updatedAt: work.now,
    revision: 0,
    slaMarks: [],
    ...(group !== undefined ? { slaGroup: group } : {}),
    ...(v.category !== undefined ? { category: v.category } : {}),
    ...(v.product !== undefined ? { product: v.product } : {}),
    ...(v.version !== undefined ? { version: v.version } : {}),
    ...(origin ? { origin } : {}),
  };
  return { ticket, tier };
}

/** The row of a ticket just opened: nobody assigned, nothing answered or resolved yet. */
function newTicketRow(t: Omit<Ticket, 'number'>, slaPolicy: string | undefined): Omit<NewTicket, 'number'> {
  return {
    title: t.title,
    description: t.description,
    category: t.category ?? null,
    product: t.product ?? null,
    product_version: t.version ?? null,
    impact: t.impact,
    urgency: t.urgency,
    priority: t.priority,
    tier: t.tier,
    status: t.status,
    requester_platform: t.requester.platform,
    requester_space: t.requester.space,
    requester_id: t.requester.id,
    requester_name: t.requester.name,
    requester_zone: t.requester.zone?.slice(0, 64) ?? null,
    origin: t.origin ?? null,
    assignee: null,
    assignee_name: null,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    first_response_at: null,
    resolved_at: null,
    closed_at: null,
    resolution: null,
    revision: 0,
    sla_policy: slaPolicy ?? null,
    sla_group: t.slaGroup ?? null,
    sla_marks: null,
  };
}

/** The agents' card in the tier's channel and the requester's card in their private conversation. */
async function postTicketCards(core: Core, work: Work, t: Ticket, tier: TierConfig, slaLines: CardField[], requesterTarget?: Target): Promise<void> {
  await work.post(
    { kind: 'place', place: core.directory.agentChannel(tier, t.requester.platform, t.requester.space) },
    agentCard(t, core.directory, slaLines),
    {
      key: messageKeys.card(t.number, tier.id),
      ticket: t.number,
      side: 'agents',
    },
  );
  const target: Target = requesterTarget ?? { kind: 'private', person: t.requester, title: `#${t.number} ${t.title}` };
  await work.post(target, requesterCard(t, core.directory), { key: messageKeys.requester(t.number), ticket: t.number, side: 'requester' });
}
