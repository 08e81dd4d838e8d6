import { addBusinessSeconds } from '../../domain/business-time.js';
import { cleanLine } from '../../domain/text.js';
import { findQuestion } from '../../store/peer.js';
import { checkRequesterLimits, createTicket, validateNewTicket } from '../tickets/open-ticket.js';
import { isUserError } from '../../domain/errors.js';
import { card } from '../../core/render.js';
import { questionFromRow, questionKey, questionThread, saveQuestion, STALE_TIMER, UNANSWERED_TIMER, type Question } from './questions.js';
import type { Core, Work } from '../../core/work.js';

/**
 * The unanswered clock of a question: first the helpers are pinged in its thread, then, still
 * without an answer, it becomes a ticket in the configured tier whose requester conversation is
 * that same thread. An answer, a solution or a close stops it.
 */
export async function unansweredFired(core: Core, work: Work, subject: string, data: unknown): Promise<void> {
  const row = await findQuestion(work.db, Number(subject));
  if (!row) return;
  const q = questionFromRow(row);
  if (q.status !== 'open' || q.answeredAt !== undefined || q.ticket !== undefined) return;
  const step = (data as { step?: string } | undefined)?.step;
  const u = core.config.peer.unanswered;
  if (step === 'ping') {
    const group = q.platform === 'slack' || q.platform === 'discord' ? core.config.peer.helperGroup[q.platform] : undefined;
    await work.post(
      questionThread(q.number),
      card({
        title: `Still unanswered: Q${q.number}`,
        text: `${group === undefined ? 'Helpers' : 'Helpers'}, can someone take a look at ${q.asker.name}'s question?`,
        ...(group !== undefined ? { ping: [group] } : {}),
        tone: 'warning',
      }),
    );
    await saveQuestion(work, q, { pinged_at: work.now });
    if (u.ticketAfterMs !== undefined) {
      const from = (data as { from?: number } | undefined)?.from ?? q.createdAt;
      const due = u.calendar ? addBusinessSeconds(u.calendar, from, u.ticketAfterMs / 1000) : from + u.ticketAfterMs;
      await work.setTimer(UNANSWERED_TIMER, subject, Math.max(due, work.now), { step: 'ticket', from });
    }
    return;
  }
  if (step === 'ticket') await questionToTicket(core, work, q);
}

/** Open an L1 (configured tier) ticket for an unanswered question, talking to the asker in its thread. */
async function questionToTicket(core: Core, work: Work, q: Question): Promise<void> {
  const link = q.link ? `\n\nAsked in the peer channel: ${q.link}` : '';
  const description = `${q.body}${link}`.slice(0, core.config.tickets.descriptionMax);
  const titleMax = core.config.tickets.titleMax;
  const title = q.title.length > titleMax ? `${q.title.slice(0, titleMax - 1)}…` : q.title;
  const v = validateNewTicket(core, { title: cleanLine(title), description });
  const actor = core.directory.actor(q.asker);
  const place = { platform: q.platform as Question['asker']['platform'], space: q.space, channel: q.channel };
  // The asker's ticket limits apply as if they had opened it: questions are not a way around them.
  try {
    await checkRequesterLimits(core, { actor, place }, work.db, work.now);
  } catch (err) {
    if (!isUserError(err)) throw err;
    await saveQuestion(work, q, { pinged_at: work.now });
    await work.post(
      questionThread(q.number),
      card({
        title: `Q${q.number} stays a question`,
        text: `It is still unanswered, but it cannot become a ticket: ${q.asker.name} ${err.code === 'cooldown' ? 'opened a ticket moments ago' : 'already has as many open tickets as one person may'}. Helpers, can someone take a look?`,
        tone: 'warning',
      }),
    );
    return;
  }
  const t = await createTicket(core, work, actor, place, v, {
    requesterTarget: questionThread(q.number),
    tier: core.config.peer.unanswered.tier,
  });
  await work.event(t.number, 'system', 'from_question', { question: q.number, ...(q.link ? { link: q.link } : {}) });
  await saveQuestion(work, q, { ticket: t.number });
  await work.cancelTimer(STALE_TIMER, String(q.number));
  await work.post(
    questionThread(q.number),
    card({
      title: `Q${q.number} is now ticket #${t.number}`,
      text: `Nobody has answered yet, so the help desk has it now. ${q.asker.name}, the agents' answers will arrive here; write here to reach them.`,
      tone: 'info',
    }),
  );
}

/**
 * The stale clock: an open question quiet for `ask_after` is asked "still need help?", then closed
 * after `close_after` more; a solved one is closed after both. Closed threads are archived and
 * locked where the platform can; the asker writing again reopens them.
 */
export async function staleFired(core: Core, work: Work, subject: string, data: unknown): Promise<void> {
  const row = await findQuestion(work.db, Number(subject));
  if (!row) return;
  const q = questionFromRow(row);
  if (q.status === 'closed' || q.status === 'deleted' || q.ticket !== undefined) return;
  const { closeAfterMs } = core.config.peer.stale;
  const step = (data as { step?: string } | undefined)?.step;
  if (step === 'ask' && q.status === 'open') {
    await work.post(
      questionThread(q.number),
      card({
        title: 'Still need help?',
        text: `${q.asker.name}, this question has been quiet for a while. If it is solved, mark the answer that solved it; if you still need help, keep it open. Otherwise it closes in ${Math.round((closeAfterMs ?? 0) / 3_600_000)} hours.`,
        buttons: [{ action: 'peer.keep', label: 'Keep it open', value: String(q.number), style: 'primary' }],
        tone: 'info',
      }),
    );
    if (closeAfterMs !== undefined) await work.setTimer(STALE_TIMER, subject, work.now + closeAfterMs, { step: 'close' });
    return;
  }
  if (step === 'close') {
    await work.post(
      questionThread(q.number),
      card({
        title: `Q${q.number} closed`,
        text:
          q.status === 'solved'
            ? 'Solved and quiet, so this thread is closed. Its solution stays searchable (/kb search).'
            : `Closed for inactivity. ${q.asker.name}, choose Reopen (or write here, where the platform lets you) if you still need help.`,
        buttons: [{ action: 'peer.reopen', label: 'Reopen', value: String(q.number) }],
        tone: 'info',
      }),
    );
    await saveQuestion(work, q, { status: 'closed', closed_at: work.now });
    await work.cancelTimer(UNANSWERED_TIMER, subject);
    await work.label(questionKey(q.number), 'closed');
  }
}
