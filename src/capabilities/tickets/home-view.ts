import type { Reply } from '../../ports.js';
import { listTickets } from '../../store/tickets.js';
import type { Actor } from '../../core/directory.js';
import { card } from '../../core/render.js';
import { agentCard, requesterCard } from './cards.js';
import { ticketFromRow } from './ticket-model.js';
import type { Core } from '../../core/work.js';

const ACTIVE = ['open', 'claimed', 'waiting_on_requester'];

/**
 * A person's home: the tickets they raised that are still open; for agents also their own queue
 * and the unclaimed tickets of their tiers.
 */
export async function homeView(core: Core, actor: Actor): Promise<Reply> {
  const cards = [];
  const mine = (await listTickets(core.db, { statuses: [...ACTIVE, 'resolved'], requester: actor.person, limit: 20 })).map(ticketFromRow);
  cards.push(card({ title: 'Your tickets', text: mine.length === 0 ? 'You have no open tickets. Open one with /ticket.' : `${mine.length} open` }));
  for (const t of mine) cards.push(requesterCard(t, core.directory));
  const tiers = core.directory.tiersOf(actor);
  if (tiers.length > 0) {
    const me = core.directory.agentId(actor);
    const queue = (await listTickets(core.db, { statuses: ACTIVE, assignee: me, limit: 20 })).map(ticketFromRow);
    cards.push(card({ title: 'Your queue', text: queue.length === 0 ? 'Nothing assigned to you.' : `${queue.length} assigned to you` }));
    for (const t of queue) cards.push(agentCard(t, core.directory));
    for (const tier of tiers) {
      const unclaimed = (await listTickets(core.db, { statuses: ['open'], tier: tier.id, limit: 20 })).map(ticketFromRow);
      cards.push(
        card({ title: `Unclaimed in ${tier.id} ${tier.name}`, text: unclaimed.length === 0 ? 'None.' : `${unclaimed.length} waiting for an agent` }),
      );
      for (const t of unclaimed) cards.push(agentCard(t, core.directory));
    }
  }
  return { text: cards.map((c) => c.fallback).join('\n\n'), cards };
}
