import type { ClockName } from '../../domain/sla.js';
import { formatBusinessTime, instantAtFraction } from '../../domain/sla.js';
import { findTicket } from '../../store/tickets.js';
import { card, formatInstant } from '../../core/render.js';
import { refreshCards } from '../tickets/refresh-cards.js';
import { CLOCK_LABEL, levelsOf, slaSnapshot, type SlaSnapshot } from './clocks.js';
import { saveTicket, ticketFromRow, type Ticket } from '../tickets/ticket-model.js';
import { maybePage } from '../oncall/paging.js';
import type { Core, Work } from '../../core/work.js';

/**
 * An SLA timer fired for one clock of one ticket. Re-evaluates the clock now (the timer is only a
 * wake-up): announces the highest level that has passed and is not announced yet (a warning, or the
 * breach), marks every passed level so nothing is said twice, and schedules the next level.
 */
export async function slaTimerFired(core: Core, work: Work, subject: string, late: boolean): Promise<void> {
  const [numberText, clockText] = subject.split(':');
  const clock = clockText as ClockName;
  const row = await findTicket(work.db, Number(numberText));
  if (!row || (clock !== 'first_response' && clock !== 'resolution')) return;
  const t = ticketFromRow(row);
  const snap = await slaSnapshot(core, work.db, t, work.now);
  if (!snap) return;
  const view = snap.clocks[clock];
  if (view.state === 'paused' || snap.inputs[clock].stoppedAt !== undefined) return;
  const passed = levelsOf(snap.policy).filter(
    (l) => instantAtFraction(snap.inputs[clock], l.fraction) <= work.now && !t.slaMarks.includes(`${clock}:${l.key}`),
  );
  const announce = passed.at(-1);
  if (announce) {
    const marks = [...t.slaMarks, ...passed.map((l) => `${clock}:${l.key}`)];
    // Revision-checked like any change: if someone changed the ticket meanwhile, the timer is retried.
    await saveTicket(work, t, { sla_marks: marks });
    const marked: Ticket = { ...t, slaMarks: marks, revision: t.revision + 1 };
    if (announce.key === 'breach') await breach(core, work, marked, clock, snap, late);
    else await warn(core, work, marked, clock, snap, Number(announce.key), late);
    await maybePage(core, work, marked, announce.key === 'breach' ? 'sla_breach' : 'sla_warning');
    await refreshCards(core, work, marked);
  } else {
    await refreshCards(core, work, t); // early or stale wake-up: just re-arm
  }
}

async function warn(core: Core, work: Work, t: Ticket, clock: ClockName, snap: SlaSnapshot, percent: number, late: boolean): Promise<void> {
  const view = snap.clocks[clock];
  await work.event(t.number, 'system', 'sla_warning', { clock, percent, dueAt: view.dueAt, ...(late ? { late: true } : {}) });
  const tier = core.directory.tier(t.tier);
  const due = view.dueAt !== undefined ? ` at ${formatInstant(view.dueAt)}` : '';
  const text = `${CLOCK_LABEL[clock]} for #${t.number} "${t.title}" is due${due}: ${formatBusinessTime(view.remainingSeconds)} of business time left (${percent}% used).${late ? ' [late]' : ''}`;
  const assignee = t.assignee ? core.directory.personOn(t.assignee, t.requester.platform, t.requester.space) : undefined;
  const alert = card({
    title: `⏰ SLA warning on #${t.number}`,
    text,
    tone: 'warning',
    ...(view.dueAt !== undefined ? { fields: [{ label: 'Due', value: formatInstant(view.dueAt), instant: view.dueAt }] } : {}),
  });
  if (assignee) await work.post({ kind: 'direct', person: assignee }, alert, { ticket: t.number });
  else if (tier) {
    const unclaimed = card({ ...alert, text: `${text} Nobody has claimed it.` });
    await work.post({ kind: 'place', place: core.directory.agentChannel(tier, t.requester.platform, t.requester.space) }, unclaimed, {
      ticket: t.number,
    });
  }
}

async function breach(core: Core, work: Work, t: Ticket, clock: ClockName, snap: SlaSnapshot, late: boolean): Promise<void> {
  const dueAt = snap.clocks[clock].dueAt ?? work.now;
  await work.event(t.number, 'system', 'sla_breached', { clock, dueAt, ...(late ? { late: true } : {}) });
  const tier = core.directory.tier(t.tier);
  if (tier) {
    const who = t.assignee ? `assigned to ${core.directory.nameOf(t.assignee)}` : 'unclaimed';
    await work.post(
      { kind: 'place', place: core.directory.agentChannel(tier, t.requester.platform, t.requester.space) },
      card({
        title: `🚨 SLA breached on #${t.number}`,
        text: `${CLOCK_LABEL[clock]} for #${t.number} "${t.title}" (${t.priority}, ${who}) was due ${formatInstant(dueAt)}.${late ? ' [late]' : ''}`,
        fields: [{ label: 'Was due', value: formatInstant(dueAt), instant: dueAt }],
        tone: 'warning',
      }),
      { ticket: t.number },
    );
  }
}
