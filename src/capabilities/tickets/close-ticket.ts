import { nextStatus } from '../../domain/ticket.js';
import { conversationCard } from './cards.js';
import { requesterThread } from './access.js';
import { refreshCards } from './refresh-cards.js';
import { findTicket } from '../../store/tickets.js';
import { saveTicket, ticketFromRow } from './ticket-model.js';
import type { Work, Core } from '../../core/work.js';

/**
 * Fired by the auto-close timer: a resolved ticket whose reopen window has ended closes. If the
 * ticket was reopened (or closed) meanwhile, there is nothing to do. `late` marks a timer that fired
 * after its due time, e.g. because tierdesk was down.
 */
export async function closeAfterReopenWindow(core: Core, work: Work, number: number, late: boolean): Promise<void> {
  const row = await findTicket(work.db, number);
  if (!row) return;
  const t = ticketFromRow(row);
  if (t.status !== 'resolved') return;
  const status = nextStatus(t.status, 'auto_close', t.assignee !== undefined);
  await saveTicket(work, t, { status, closed_at: work.now });
  await work.event(number, 'system', 'closed', { reason: 'the reopen window ended', ...(late ? { late: true } : {}) });
  await refreshCards(core, work, { ...t, status, closedAt: work.now, updatedAt: work.now });
  await work.post(
    requesterThread(t),
    conversationCard('notice', t, '', 'closed: the reopen window has ended. Open a new ticket if you need more help.'),
    { ticket: number },
  );
}
