import { UserError } from '../../domain/errors.js';
import { cleanLine } from '../../domain/text.js';
import { STATUSES, isStatus, label } from '../../domain/ticket.js';
import type { Reply } from '../../ports.js';
import { listEvents } from '../../store/events.js';
import { listTickets, type TicketFilter } from '../../store/tickets.js';
import type { Actor } from '../../core/directory.js';
import { card, formatInstant } from '../../core/render.js';
import { agentCard, requesterCard } from './cards.js';
import { assertCanSee, viewOf } from './access.js';
import { slaFields, slaSnapshot } from '../sla/clocks.js';
import { loadTicket, ticketFromRow, type Ticket } from './ticket-model.js';
import { describeEvent } from './ticket-events.js';
import type { Core } from '../../core/work.js';

/** `/ticket show N`: the ticket as the asker may see it. */
export async function showTicket(core: Core, actor: Actor, number: number): Promise<Reply> {
  const t = await loadTicket(core.db, number);
  assertCanSee(core, actor, t);
  const agent = viewOf(core, actor) === 'agents';
  const sla = await slaSnapshot(core, core.db, t, core.clock.now());
  const c = agent ? agentCard(t, core.directory, slaFields(sla), { full: true }) : requesterCard(t, core.directory, { full: true });
  return { text: c.fallback, card: c };
}

const ACTIVE = ['open', 'claimed', 'waiting_on_requester'];

/**
 * `/ticket list [--mine] [--tier L2] [--status open|all]`: agents see every ticket (active ones by
 * default); anyone else sees only their own.
 */
export async function listTicketsFor(core: Core, actor: Actor, opts: { mine?: boolean; tier?: string; status?: string }): Promise<Reply> {
  const agent = viewOf(core, actor) === 'agents';
  const filter: TicketFilter = { limit: 50 };
  if (opts.status === undefined || opts.status === '') filter.statuses = ACTIVE;
  else if (opts.status !== 'all') {
    const s = opts.status
      .trim()
      .toLowerCase()
      .replace(/^waiting$/, 'waiting_on_requester');
    if (!isStatus(s)) throw new UserError('bad_status', `--status must be one of ${STATUSES.join(', ')} or all.`);
    filter.statuses = [s];
  }
  if (opts.tier !== undefined) {
    const tier = core.directory.tier(opts.tier);
    if (!tier)
      throw new UserError(
        'no_such_tier',
        `There is no tier "${cleanLine(opts.tier).slice(0, 40)}". Tiers: ${core.directory.tiers.map((t) => t.id).join(', ')}.`,
      );
    filter.tier = tier.id;
  }
  if (!agent) filter.requester = actor.person;
  else if (opts.mine) filter.assignee = core.directory.agentId(actor);
  const rows = await listTickets(core.db, filter);
  if (rows.length === 0) return { text: 'No tickets match.' };
  const lines = rows.map(ticketFromRow).map((t) => {
    const who = t.assignee ? core.directory.nameOf(t.assignee) : 'unclaimed';
    return `#${t.number} ${t.priority} ${label(t.status)} ${t.tier} · ${t.title} · ${agent ? `${t.requester.name} → ${who}` : who}`;
  });
  const more = rows.length === filter.limit ? `\n(showing the newest ${filter.limit})` : '';
  return { text: lines.join('\n') + more };
}

/** One change of a ticket as its audience may read it: when, by whom, in their words. */
export interface HistoryEntry {
  id: string;
  at: number;
  kind: string;
  by: string;
  text: string;
}

/** A ticket's history for an audience (agents: everything; the requester: the public kinds in their words). */
export async function historyFor(core: Core, t: Ticket, audience: 'agents' | 'requester'): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  for (const { id, at, kind, actor, data } of await listEvents(core.db, t.number)) {
    const byRequester =
      actor.kind === 'person' && actor.platform === t.requester.platform && actor.space === t.requester.space && actor.id === t.requester.id;
    const text = describeEvent(kind, audience, { data, actor, byRequester, directory: core.directory });
    if (text !== undefined) entries.push({ id, at, kind, by: actor.kind === 'system' ? 'tierdesk' : (actor.name ?? ''), text });
  }
  return entries;
}

/**
 * `/ticket history N`: every change, who and when, for agents. The requester sees the public history
 * only: the kinds ./ticket-events.ts declares public, each told in the requester's words.
 */
export async function ticketHistory(core: Core, actor: Actor, number: number): Promise<Reply> {
  const t = await loadTicket(core.db, number);
  assertCanSee(core, actor, t);
  const lines = (await historyFor(core, t, viewOf(core, actor))).map((e) => `${formatInstant(e.at)}  ${e.by}  ${e.text}`);
  const c = card({ title: `History of #${number} ${t.title}`, text: lines.join('\n') });
  return { text: c.fallback, card: c };
}
