import { agentCard, requesterCard } from './cards.js';
import type { Core, Work } from '../../core/work.js';
import { pageField } from '../oncall/paging.js';
import { scheduleSla, slaFields, slaSnapshot } from '../sla/clocks.js';
import { messageKeys, type Ticket } from './ticket-model.js';

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
