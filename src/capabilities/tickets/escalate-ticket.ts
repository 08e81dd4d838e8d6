import { UserError } from '../../domain/errors.js';
import { cleanLine } from '../../domain/text.js';
import { nextStatus } from '../../domain/ticket.js';
import type { Reply } from '../../ports.js';
import { messageText } from './converse.js';
import { agentCard, conversationCard, escalatedAwayCard, requesterCard } from './cards.js';
import { change, type Request } from '../../core/request.js';
import { requesterThread, ticketForAgent } from './access.js';
import { messageKeys, saveTicket } from './ticket-model.js';
import { changePage, maybePage, pageField } from '../oncall/paging.js';
import { scheduleSla, slaFields, slaSnapshot } from '../sla/clocks.js';
import type { Core } from '../../core/work.js';

/**
 * Move a ticket up the ladder: to the next tier, or `to` a higher one (L1 → L3 for a fix in code
 * or data). The new tier gets a fresh card; the old card says where the ticket went.
 */
export async function escalateTicket(core: Core, req: Request, number: number, rawReason: string, to?: string): Promise<Reply> {
  const reason = messageText(rawReason, 'An escalation', `/ticket escalate ${number} <reason> [--to TIER]`);
  return change(core, req, async (work) => {
    const t = await ticketForAgent(core, work, req, number, 'escalate');
    const dir = core.directory;
    const target = to !== undefined ? dir.tier(to) : dir.nextTier(t.tier);
    if (to !== undefined && !target)
      throw new UserError('no_such_tier', `There is no tier "${cleanLine(to).slice(0, 40)}". Tiers: ${dir.tiers.map((x) => x.id).join(', ')}.`);
    if (!target) throw new UserError('top_tier', `#${number} is already at the top tier (${t.tier}); there is nowhere to escalate it.`);
    if (dir.tierIndex(target.id) <= dir.tierIndex(t.tier)) {
      throw new UserError('not_higher', `--to must name a tier above ${t.tier}; ${target.id} is not.`);
    }
    const status = nextStatus(t.status, 'escalate', false);
    await saveTicket(work, t, { tier: target.id, status, assignee: null, assignee_name: null });
    const moved = { ...t, tier: target.id, status, updatedAt: work.now };
    delete moved.assignee;
    delete moved.assigneeName;
    await work.event(number, req.actor, 'escalated', { from: t.tier, to: target.id, reason, ...(t.assignee ? { unassigned: t.assignee } : {}) });
    await work.edit(messageKeys.card(number, t.tier), escalatedAwayCard(moved, t.tier, target.id, req.actor.name, reason, dir), number);
    // A page for the old tier stops; the new tier may be paged (its card shows it).
    await changePage(core, work, number, 'resolve');
    await maybePage(core, work, moved, 'escalated_into');
    const sla = await slaSnapshot(core, work.db, moved, work.now);
    await scheduleSla(core, work, moved, sla); // a ticket that was waiting gets its SLA timers back
    const fields = [...slaFields(sla), ...(await pageField(work.db, number))];
    const requester = t.requester;
    await work.post({ kind: 'place', place: dir.agentChannel(target, requester.platform, requester.space) }, agentCard(moved, dir, fields), {
      key: messageKeys.card(number, target.id),
      ticket: number,
      side: 'agents',
    });
    await work.post(
      { kind: 'thread', of: messageKeys.card(number, target.id) },
      conversationCard('note', moved, req.actor.name, `Escalated from ${t.tier}: ${reason}`),
      { ticket: number },
    );
    await work.edit(messageKeys.requester(number), requesterCard(moved, dir), number);
    const newAgents = target.agents
      .map((a) => dir.personOn(a, requester.platform, requester.space))
      .filter((p): p is NonNullable<typeof p> => p !== undefined);
    await work.addMembers(messageKeys.requester(number), newAgents, number);
    await work.post(requesterThread(t), conversationCard('notice', t, '', `Your ticket has moved to ${target.name}.`), { ticket: number });
    return { text: `#${number} escalated from ${t.tier} to ${target.id} ${target.name}.` };
  });
}
