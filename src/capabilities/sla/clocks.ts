import { pickPolicy, type SlaPolicy } from '../../config/sla.js';
import { CLOCKS, evaluateClock, formatBusinessTime, instantAtFraction, type ClockInput, type ClockName, type ClockView } from '../../domain/sla.js';
import type { CardField } from '../../ports.js';
import type { Db } from '../../store/connect.js';
import { listPauses, type PauseRow } from '../../store/sla-pauses.js';
import { formatInstant } from '../../core/render.js';
import type { Ticket } from '../tickets/ticket-model.js';
import type { Core, Work } from '../../core/work.js';

/** Where a ticket's SLA clocks stand, at one instant. */
export interface SlaSnapshot {
  policy: SlaPolicy;
  inputs: Record<ClockName, Omit<ClockInput, 'now'>>;
  clocks: Record<ClockName, ClockView>;
}

export const SLA_TIMER = 'sla';
export const CLOCK_LABEL: Record<ClockName, string> = { first_response: 'First response', resolution: 'Resolution' };

/** The policy for a ticket, from its priority and the requester's customer group. */
export function policyFor(core: Core, t: Pick<Ticket, 'priority' | 'slaGroup'>): SlaPolicy | undefined {
  return pickPolicy(core.config.sla, t.priority, t.slaGroup ? [t.slaGroup] : []);
}

/** The clocks' inputs: both start at creation; each stops at its event and stands still in its pauses. */
export function clockInputs(policy: SlaPolicy, t: Ticket, pauses: readonly PauseRow[]): Record<ClockName, Omit<ClockInput, 'now'>> {
  const stoppedResolution = t.status === 'resolved' || t.status === 'closed' ? (t.resolvedAt ?? t.closedAt) : undefined;
  const waiting = pauses.filter((p) => p.reason === 'waiting');
  // Spreads last only: a spread followed by more properties is slow to build (see `card`, src/core/render.ts).
  return {
    first_response: {
      calendar: policy.calendar,
      startedAt: t.createdAt,
      targetMinutes: policy.firstResponseMinutes,
      pauses: waiting,
      ...(t.firstResponseAt !== undefined ? { stoppedAt: t.firstResponseAt } : {}),
    },
    resolution: {
      calendar: policy.calendar,
      startedAt: t.createdAt,
      targetMinutes: policy.resolutionMinutes,
      pauses,
      ...(stoppedResolution !== undefined ? { stoppedAt: stoppedResolution } : {}),
    },
  };
}

/**
 * The ticket's SLA at `now`. A due time that cannot be computed (a RangeError from business-time
 * arithmetic: a target beyond what the calendar can give) never refuses the ticket: the ticket has no
 * running clock, and `onFailure` hears why so the caller can flag the clock and tell the agents.
 */
export function snapshotWith(
  core: Core,
  t: Ticket,
  pauses: readonly PauseRow[],
  now: number,
  onFailure?: (why: string) => void,
): SlaSnapshot | undefined {
  const policy = policyFor(core, t);
  if (!policy) return undefined;
  const inputs = clockInputs(policy, t, pauses);
  try {
    return {
      policy,
      inputs,
      clocks: { first_response: evaluateClock({ now, ...inputs.first_response }), resolution: evaluateClock({ now, ...inputs.resolution }) },
    };
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    onFailure?.(err.message);
    return undefined;
  }
}

/** The card line of a clock that could not be computed. */
export function slaFailedField(policy: string, why: string): CardField {
  return { label: 'SLA', value: `not running: the ${policy} policy's due time cannot be computed (${why}); run tierdesk check` };
}

/** The ticket's SLA at `now`, or undefined when no policy applies. */
export async function slaSnapshot(core: Core, db: Db, t: Ticket, now: number): Promise<SlaSnapshot | undefined> {
  if (!policyFor(core, t)) return undefined;
  return snapshotWith(core, t, await listPauses(db, t.number), now);
}

/** Warning levels and the breach, in the order they come due: `75`, `90`, `breach`. */
export function levelsOf(policy: SlaPolicy): Array<{ key: string; fraction: number }> {
  return [...policy.warnings.map((w) => ({ key: String(Math.round(w * 100)), fraction: w })), { key: 'breach', fraction: 1 }];
}

/**
 * Keep one timer per running clock, due at its next unannounced level (a warning or the breach).
 * A paused or stopped clock has none. Called after every change that can move a clock.
 */
export async function scheduleSla(core: Core, work: Work, t: Ticket, snap: SlaSnapshot | undefined): Promise<void> {
  for (const clock of CLOCKS) {
    const subject = `${t.number}:${clock}`;
    const view = snap?.clocks[clock];
    const next =
      snap && view && view.state !== 'paused' && view.state !== 'met' && snap.inputs[clock].stoppedAt === undefined
        ? levelsOf(snap.policy).find((l) => !t.slaMarks.includes(`${clock}:${l.key}`))
        : undefined;
    if (!snap || !next) {
      await work.cancelTimer(SLA_TIMER, subject);
      continue;
    }
    await work.setTimer(SLA_TIMER, subject, instantAtFraction(snap.inputs[clock], next.fraction), { level: next.key });
  }
}

/** SLA lines for a ticket card: due time (each reader's local time where the platform can), what is left, state. */
export function slaFields(snap: SlaSnapshot | undefined): CardField[] {
  if (!snap) return [];
  return CLOCKS.map((clock) => {
    const v = snap.clocks[clock];
    const target = snap.inputs[clock].targetMinutes * 60;
    const label = CLOCK_LABEL[clock];
    switch (v.state) {
      case 'met':
        return { label, value: `met in ${formatBusinessTime(v.usedSeconds)} of ${formatBusinessTime(target)}` };
      case 'paused':
        return { label, value: `paused (waiting on the requester), ${formatBusinessTime(v.remainingSeconds)} left` };
      case 'running':
        return { label, value: `due ${formatInstant(v.dueAt!)}, ${formatBusinessTime(v.remainingSeconds)} left`, instant: v.dueAt! };
      case 'breached':
        return snap.inputs[clock].stoppedAt !== undefined
          ? { label, value: `breached: took ${formatBusinessTime(v.usedSeconds)} of ${formatBusinessTime(target)}` }
          : v.dueAt !== undefined
            ? { label, value: `breached: was due ${formatInstant(v.dueAt)}, overdue ${formatBusinessTime(-v.remainingSeconds)}`, instant: v.dueAt }
            : { label, value: `breached, paused (waiting on the requester)` };
    }
  });
}
