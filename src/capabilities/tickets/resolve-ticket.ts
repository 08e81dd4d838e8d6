import { formatDuration } from '../../domain/duration.js';
import { UserError } from '../../domain/errors.js';
import { nextStatus } from '../../domain/ticket.js';
import type { Reply } from '../../ports.js';
import { messageText } from './converse.js';
import { conversationCard } from './cards.js';
import { change, type Request } from '../../core/request.js';
import { requesterThread, ticketForAgent } from './access.js';
import { refreshCards } from './refresh-cards.js';
import { questionTicketReopened, questionTicketResolved } from '../peer/tickets.js';
import { isRequester, loadTicket, messageKeys, saveTicket } from './ticket-model.js';
import { changePage } from '../oncall/paging.js';
import type { Core } from '../../core/work.js';

/** The durable timer that closes a resolved ticket when its reopen window ends. */
export const AUTO_CLOSE = 'auto-close';

/**
 * Resolve a ticket. The resolution is told to the requester (so it counts as a first response if
 * none was given); the ticket closes by itself when the reopen window ends.
 */
export async function resolveTicket(core: Core, req: Request, number: number, rawResolution: string): Promise<Reply> {
  const resolution = messageText(rawResolution, 'A resolution', `/ticket resolve ${number} <resolution>`);
  const windowMs = core.config.tickets.reopenWindowMs;
  return change(core, req, async (work) => {
    const t = await ticketForAgent(core, work, req, number, 'resolve');
    const status = nextStatus(t.status, 'resolve', t.assignee !== undefined);
    const firstResponse = t.firstResponseAt === undefined;
    await saveTicket(work, t, { status, resolution, resolved_at: work.now, ...(firstResponse ? { first_response_at: work.now } : {}) });
    await work.event(number, req.actor, 'resolved', { resolution, ...(firstResponse ? { firstResponse: true } : {}) });
    await work.setTimer(AUTO_CLOSE, String(number), work.now + windowMs, { resolvedAt: work.now });
    await changePage(core, work, number, 'resolve'); // resolving stops any page
    await questionTicketResolved(core, work, number, resolution, req.actor); // a ticket that was a peer question solves it
    const updated = { ...t, status, resolution, resolvedAt: work.now, updatedAt: work.now, ...(firstResponse ? { firstResponseAt: work.now } : {}) };
    await refreshCards(core, work, updated);
    await work.post(
      requesterThread(t),
      conversationCard(
        'reply',
        t,
        req.actor.name,
        `Resolved: ${resolution}\nIf that fixed it, /ticket confirm ${number}. If not, /ticket reopen ${number} within ${formatDuration(windowMs)}.`,
      ),
      { ticket: number },
    );
    return { text: `#${number} resolved. It closes by itself in ${formatDuration(windowMs)} unless ${t.requester.name} reopens it.` };
  });
}

/** The requester confirms the resolution: the ticket closes now. */
export async function confirmResolution(core: Core, req: Request, number: number): Promise<Reply> {
  return change(core, req, async (work) => {
    const t = await loadTicket(work.db, number);
    if (!isRequester(t, req.actor.person, core.directory))
      throw new UserError('not_requester', `Only ${t.requester.name}, who raised #${number}, can confirm its resolution.`);
    const status = nextStatus(t.status, 'confirm', t.assignee !== undefined);
    await saveTicket(work, t, { status, closed_at: work.now });
    await work.cancelTimer(AUTO_CLOSE, String(number));
    await work.event(number, req.actor, 'closed', { reason: 'confirmed by the requester' });
    await refreshCards(core, work, { ...t, status, closedAt: work.now, updatedAt: work.now });
    return { text: `Thanks! #${number} is closed.` };
  });
}

/**
 * Reopen a resolved ticket, or one closed by its requester's confirmation, within the reopen window
 * (counted from the resolution): back to its assignee, or to the tier's queue.
 */
export async function reopenTicket(core: Core, req: Request, number: number, rawReason?: string): Promise<Reply> {
  const reason = rawReason && rawReason.trim() !== '' ? messageText(rawReason, 'The reason', `/ticket reopen ${number} [reason]`) : undefined;
  return change(core, req, async (work) => {
    const t = await loadTicket(work.db, number);
    const agent = core.directory.isAgentOf(req.actor, t.tier);
    if (!isRequester(t, req.actor.person, core.directory) && !agent)
      throw new UserError('not_yours', `Only the requester of #${number} or its tier's agents can reopen it.`);
    const status = nextStatus(t.status, 'reopen', t.assignee !== undefined);
    const windowEnd = (t.resolvedAt ?? work.now) + core.config.tickets.reopenWindowMs;
    if (work.now >= windowEnd) {
      const closed = t.status === 'closed' ? ' is closed and' : '';
      throw new UserError('reopen_window_ended', `#${number}${closed}'s reopen window has ended; please open a new ticket: /ticket new <title>.`);
    }
    // A closed ticket's private thread opens again before anything is posted there.
    if (t.status === 'closed') await work.sealThread(messageKeys.requester(number), false, number);
    await saveTicket(work, t, { status, resolved_at: null, resolution: null, closed_at: null });
    await work.cancelTimer(AUTO_CLOSE, String(number));
    await work.event(number, req.actor, 'reopened', reason ? { reason } : {});
    await questionTicketReopened(core, work, number);
    const updated = { ...t, status, updatedAt: work.now };
    delete updated.resolvedAt;
    delete updated.resolution;
    delete updated.closedAt;
    await refreshCards(core, work, updated);
    await work.post(
      { kind: 'thread', of: `ticket:${number}:card:${t.tier}` },
      conversationCard('notice', t, '', `reopened by ${req.actor.name}${reason ? `: ${reason}` : ''}`),
      { ticket: number },
    );
    if (agent) await work.post(requesterThread(t), conversationCard('notice', t, '', `${req.actor.name} reopened your ticket.`), { ticket: number });
    return { text: `#${number} is open again.` };
  });
}
