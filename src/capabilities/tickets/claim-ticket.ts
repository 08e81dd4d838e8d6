import { UserError } from '../../domain/errors.js';
import { nextStatus } from '../../domain/ticket.js';
import type { Reply } from '../../ports.js';
import { conversationCard } from './cards.js';
import { change, type Request } from '../../core/request.js';
import { requesterThread, ticketForAgent } from './access.js';
import { refreshCards } from './refresh-cards.js';
import { messageKeys, saveTicket } from './ticket-model.js';
import type { Core } from '../../core/work.js';

/**
 * Claim a ticket: one assignee at a time. Taking over someone else's ticket needs `force` and is
 * recorded; when two agents claim at once, exactly one wins and the other is told who has it.
 */
export async function claimTicket(core: Core, req: Request, number: number, force: boolean): Promise<Reply> {
  return change(core, req, async (work) => {
    const t = await ticketForAgent(core, work, req, number, 'claim');
    const me = core.directory.agentId(req.actor);
    if (t.assignee === me) throw new UserError('already_yours', `You already have #${number}.`);
    const status = nextStatus(t.status, 'claim', true);
    if (t.assignee && !force) {
      throw new UserError(
        'already_claimed',
        `#${number} is already claimed by ${t.assigneeName ?? core.directory.nameOf(t.assignee)}. To take it over: /ticket claim ${number} --force`,
      );
    }
    await saveTicket(work, t, { assignee: me, assignee_name: req.actor.name, status });
    const updated = { ...t, assignee: me, assigneeName: req.actor.name, status, updatedAt: work.now };
    await work.event(number, req.actor, 'claimed', t.assignee ? { takenOverFrom: t.assignee } : {});
    await refreshCards(core, work, updated);
    // On platforms with private ticket threads, the assignee joins the conversation.
    await work.addMembers(messageKeys.requester(number), [req.actor.person], number);
    await work.post(requesterThread(t), conversationCard('notice', t, '', `${req.actor.name} is working on your ticket.`), { ticket: number });
    const from = t.assignee ? ` (taken over from ${t.assigneeName ?? core.directory.nameOf(t.assignee)})` : '';
    return { text: `You have claimed #${number}${from}.` };
  });
}
