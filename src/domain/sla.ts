/**
 * SLA clocks: reaction time (first response) and resolution time, counted in business time on a
 * calendar. Pure: every instant is an argument.
 *
 * A clock starts when the ticket is created, stands still during pauses (waiting on the requester;
 * for the resolution clock also the time a ticket spent resolved before it was reopened), and stops
 * at its event (the first public agent reply; the resolution). It is met when it stops within its
 * target, breached once its due time passes while it runs or when it stops late.
 */
import { addBusinessSeconds, businessSecondsBetween, type Pause } from './business-time.js';
import type { Calendar } from './calendar.js';

export type ClockName = 'first_response' | 'resolution';
export const CLOCKS: readonly ClockName[] = ['first_response', 'resolution'];

export type ClockState = 'running' | 'paused' | 'met' | 'breached';

/** A pause that may still be going on (`end` undefined). */
export interface OpenPause {
  start: number;
  end?: number;
}

export interface ClockInput {
  calendar: Calendar;
  /** Target in business minutes. */
  targetMinutes: number;
  startedAt: number;
  /** When the clock stopped (first response / resolution), if it has. */
  stoppedAt?: number;
  pauses: readonly OpenPause[];
  now: number;
}

export interface ClockView {
  state: ClockState;
  /** When the target runs out; undefined while paused (it depends on when the pause ends). */
  dueAt?: number;
  /** Business seconds used so far (up to the stop, or now). */
  usedSeconds: number;
  /** Business seconds left until the target (negative once overdue). */
  remainingSeconds: number;
  /** Whether the target was (or is being) missed. */
  breached: boolean;
}

function closedPauses(pauses: readonly OpenPause[], until: number): Pause[] {
  return pauses.map((p) => ({ start: Math.min(p.start, until), end: Math.min(p.end ?? until, until) })).filter((p) => p.end > p.start);
}

/** The instant at which `fraction` of the clock's target has been used, given no further pauses. */
export function instantAtFraction(input: Omit<ClockInput, 'now' | 'stoppedAt'>, fraction: number): number {
  const seconds = Math.round(input.targetMinutes * 60 * fraction);
  const pauses = input.pauses.filter((p) => p.end !== undefined) as Pause[];
  return addBusinessSeconds(input.calendar, input.startedAt, seconds, pauses);
}

/** Where a clock stands at `now`. */
export function evaluateClock(input: ClockInput): ClockView {
  const target = input.targetMinutes * 60;
  if (input.stoppedAt !== undefined) {
    const used = businessSecondsBetween(input.calendar, input.startedAt, input.stoppedAt, closedPauses(input.pauses, input.stoppedAt));
    const dueAt = instantAtFraction({ ...input, pauses: input.pauses.filter((p) => p.end !== undefined && p.start < input.stoppedAt!) }, 1);
    const breached = used > target;
    return { state: breached ? 'breached' : 'met', dueAt, usedSeconds: used, remainingSeconds: target - used, breached };
  }
  const open = input.pauses.find((p) => p.end === undefined && p.start <= input.now);
  const used = businessSecondsBetween(input.calendar, input.startedAt, Math.max(input.startedAt, input.now), closedPauses(input.pauses, input.now));
  if (open) {
    return { state: used > target ? 'breached' : 'paused', usedSeconds: used, remainingSeconds: target - used, breached: used > target };
  }
  const dueAt = instantAtFraction(input, 1);
  // Still running when the due time comes is a breach (a reply at that very instant is still met).
  const breached = input.now >= dueAt;
  return { state: breached ? 'breached' : 'running', dueAt, usedSeconds: used, remainingSeconds: target - used, breached };
}

/** "1h 20m", "3d 4h", "45s": business time as people read it. */
export function formatBusinessTime(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${s % 60}s`;
}
