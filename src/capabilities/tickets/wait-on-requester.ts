import { nextStatus } from '../../domain/ticket.js';
import type { Reply } from '../../ports.js';
import { messageText } from './converse.js';
import { conversationCard } from './cards.js';
import { change, type Request } from '../../core/request.js';
import { agentThread, requesterThread, ticketForAgent } from './access.js';
import { refreshCards } from './refresh-cards.js';
import { saveTicket } from './ticket-model.js';
import type { Core } from '../../core/work.js';

/**
 * Put a ticket on hold until the requester answers (their next message returns it to work). An
 * optional question goes to the requester as a public reply.
 */
export async function waitOnRequester(core: Core, req: Request, number: number, question?: string): Promise<Reply> {
  const text = question && question.trim() !== '' ? messageText(question, 'The question', `/ticket wait ${number} [question]`) : undefined;
  return change(core, req, async (work) => {
    const t = await ticketForAgent(core, work, req, number, 'set waiting on');
    const status = nextStatus(t.status, 'wait', t.assignee !== undefined);
    const firstResponse = text !== undefined && t.firstResponseAt === undefined;
    await saveTicket(work, t, { status, ...(firstResponse ? { first_response_at: work.now } : {}) });
    await work.event(number, req.actor, 'waiting', text ? { question: text, ...(firstResponse ? { firstResponse: true } : {}) } : {});
    const updated = { ...t, status, updatedAt: work.now, ...(firstResponse ? { firstResponseAt: work.now } : {}) };
    await refreshCards(core, work, updated);
    if (text) {
      await work.post(requesterThread(t), conversationCard('reply', t, req.actor.name, text), { ticket: number });
      await work.post(agentThread(t), conversationCard('reply-echo', t, req.actor.name, text), { ticket: number });
    } else {
      await work.post(requesterThread(t), conversationCard('notice', t, '', `${req.actor.name} is waiting for your answer: reply here.`), {
        ticket: number,
      });
    }
    return { text: `#${number} is now waiting on ${t.requester.name}.` };
  });
}
