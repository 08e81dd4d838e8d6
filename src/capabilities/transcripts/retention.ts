/**
 * `tickets.retention`: a daily durable timer deletes the conversation text of tickets closed longer
 * ago than that (fields and figures stay for reports); each deletion is an event on the ticket.
 */
import type { TimerFired } from '../../core/capability.js';
import { inTransaction, type Core, type Work } from '../../core/work.js';
import { redactTicket, ticketsToRedact, timerArmed } from '../../store/records.js';

export const RETENTION_TIMER = 'retention';
const DAY = 86_400_000;
/** Tickets per run: a backlog (retention switched on for an old desk) is worked off in short transactions. */
const PER_RUN = 200;

/** Arm the daily run at start when retention is configured and it is not armed yet. */
export async function armRetention(core: Core): Promise<void> {
  if (core.config.tickets.retentionMs === undefined) return;
  await inTransaction(core, async (work) => {
    if (!(await timerArmed(work.db, RETENTION_TIMER, 'daily'))) await work.setTimer(RETENTION_TIMER, 'daily', work.now + DAY);
  });
}

/** Delete what is past retention; come back at once while a backlog remains, else tomorrow. */
export async function retentionFired(core: Core, work: Work, _timer: TimerFired): Promise<void> {
  const keep = core.config.tickets.retentionMs;
  if (keep === undefined) return; // retention was switched off: the timer ends here
  const due = await ticketsToRedact(work.db, work.now - keep, PER_RUN);
  for (const number of due) {
    const events = await redactTicket(work.db, number, work.now);
    await work.event(number, 'system', 'text_deleted', { reason: `retention: closed more than ${Math.round(keep / DAY)} days ago`, events });
  }
  if (due.length > 0) core.logger.info('deleted closed tickets\u2019 conversation text (retention)', { tickets: due.length });
  await work.setTimer(RETENTION_TIMER, 'daily', due.length === PER_RUN ? work.now : work.now + DAY);
}
