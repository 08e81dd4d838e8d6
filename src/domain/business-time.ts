/**
 * Business-time arithmetic for SLA clocks: how much open time lies between two instants, and when a budget
 * of open time runs out. Pure: instants come in as arguments (integer epoch ms, UTC) and go out as numbers.
 *
 * The rules, which callers may rely on:
 * - Open hours are the calendar's local wall-clock spans on each local date (holidays are whole local dates),
 *   turned into instants by seam 8 of ARCHITECTURE.md: an ambiguous autumn time is the earlier instant,
 *   a spring-gap time moves forward by the gap, a span left empty is dropped, 24:00 is the next midnight.
 * - The clock runs in real elapsed time inside open spans (a 00:00-24:00 day is 23 or 25 hours when the
 *   clocks change) and stands still during pauses (overlapping or unsorted is fine).
 * - Precision is one second: every instant given (starts, ends, pauses) is truncated to its whole second
 *   (milliseconds dropped, toward the past), so every result is a whole second too.
 * - A due time is the earliest instant by which the budget has run: a start outside open hours counts from
 *   the next opening, a budget that ends exactly at a closing time is due at that closing time, and a budget
 *   of zero is due at the start itself (truncated), open or not. Hence add(add(t, a), b) = add(t, a + b).
 */
import type { Calendar } from './calendar.js';
import { DAY_MS, dayTableOf, openOn } from './business-time-days.js';

/** A stretch during which the clock stands still (e.g. waiting on the requester), epoch ms, start ≤ end. */
export interface Pause {
  readonly start: number;
  readonly end: number;
}

const SECOND_MS = 1_000;
/** Walks are bounded to a century (of open time for a budget, of calendar time for a span): beyond that an
 * SLA figure is a bug upstream, and refusing it beats a loop over millions of days. */
const CENTURY_WEEKS = 5_218;
const CENTURY_MS = 36_525 * DAY_MS;
const NO_PAUSES: readonly number[] = Object.freeze([]);

function wholeSecond(ms: number, what: string): number {
  if (!Number.isFinite(ms)) throw new RangeError(`${what} must be an epoch-milliseconds instant, got ${ms}`);
  return Math.floor(ms / SECOND_MS) * SECOND_MS;
}

/** Pauses as a flat [start, end, ...] list, sorted and merged, so the walk can step through them once. */
function mergePauses(pauses: readonly Pause[]): readonly number[] {
  if (pauses.length === 0) return NO_PAUSES;
  const cut = pauses.map((p) => {
    const start = wholeSecond(p.start, 'pause start');
    const end = wholeSecond(p.end, 'pause end');
    if (end < start) throw new RangeError(`a pause must not end (${p.end}) before it starts (${p.start})`);
    return [start, end] as const;
  });
  cut.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [start, end] of cut) {
    const last = merged.length - 1;
    if (last > 0 && start <= merged[last]!) merged[last] = Math.max(merged[last]!, end);
    else if (end > start) merged.push(start, end);
  }
  return merged;
}

/**
 * Calls `visit(start, end)` for each stretch from `from` on in which the clock runs (open and not paused),
 * in time order, until `visit` returns true or the stretches start after `until`.
 */
function walkRunningTime(
  calendar: Calendar,
  from: number,
  until: number,
  pauses: readonly number[],
  visit: (start: number, end: number) => boolean,
): void {
  const table = dayTableOf(calendar);
  let cursor = from;
  let p = 0;
  // A local date is within a day of the UTC date; two days back also catches a span opened the day before
  // (or pushed past midnight by a gap) that is still open at `from`.
  for (let day = Math.floor(from / DAY_MS) - 2; (day - 1) * DAY_MS <= until; day++) {
    const open = openOn(table, day);
    for (let i = 0; i < open.length; i += 2) {
      const end = open[i + 1]!;
      if (end <= cursor) continue;
      let start = Math.max(open[i]!, cursor);
      cursor = end;
      while (start < end) {
        while (p < pauses.length && pauses[p + 1]! <= start) p += 2;
        const pauseStart = p < pauses.length ? pauses[p]! : Infinity;
        if (pauseStart >= end) {
          if (visit(start, end)) return;
          break;
        }
        if (pauseStart > start && visit(start, pauseStart)) return;
        start = Math.min(end, pauses[p + 1]!);
      }
    }
  }
}

/**
 * The instant by which `seconds` of business time have run from `startMs` on `calendar`, not counting
 * `pauses`. Zero seconds is due at the start (truncated to the second). Throws a RangeError for a negative
 * or fractional budget, a budget over a century of open time, a non-finite instant, a pause that ends before it
 * starts, or a walk past the year 9999.
 */
export function addBusinessSeconds(calendar: Calendar, startMs: number, seconds: number, pauses: readonly Pause[] = []): number {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError(`a business-time budget must be a whole number of seconds ≥ 0, got ${seconds}`);
  }
  if (seconds > calendar.weeklyOpenMinutes * 60 * CENTURY_WEEKS) {
    throw new RangeError(`a budget of ${seconds} s is more than a century of open time on calendar ${calendar.name}`);
  }
  const start = wholeSecond(startMs, 'start');
  let remaining = seconds * SECOND_MS;
  if (remaining === 0) return start;
  let due = Number.NaN;
  walkRunningTime(calendar, start, Infinity, mergePauses(pauses), (from, to) => {
    if (to - from < remaining) {
      remaining -= to - from;
      return false;
    }
    due = from + remaining; // exactly `to` when the budget ends at a closing time
    return true;
  });
  return due;
}

/** The longest budget addBusinessSeconds accepts on a calendar, in minutes: a century of its open time. */
export function longestBudgetMinutes(calendar: Calendar): number {
  return calendar.weeklyOpenMinutes * CENTURY_WEEKS;
}

/**
 * Like addBusinessSeconds with a budget in minutes; fractions of a minute are rounded to the nearest second.
 * Example: Mon–Fri 09:00-17:00 UTC, Friday 17:00 + 480 minutes is due Monday 17:00.
 */
export function addBusinessMinutes(calendar: Calendar, startMs: number, minutes: number, pauses: readonly Pause[] = []): number {
  return addBusinessSeconds(calendar, startMs, Math.round(minutes * 60), pauses);
}

/**
 * Seconds of business time between two instants (open, not paused, from `fromMs` inclusive to `toMs`
 * exclusive). When `fromMs` is after `toMs` the result is the negative of the other way round, so
 * between(a, b) = -between(b, a) and between(t, t) = 0. Throws a RangeError for instants over a century apart.
 */
export function businessSecondsBetween(calendar: Calendar, fromMs: number, toMs: number, pauses: readonly Pause[] = []): number {
  const from = wholeSecond(fromMs, 'from');
  const to = wholeSecond(toMs, 'to');
  if (from > to) return 0 - businessSecondsBetween(calendar, to, from, pauses) || 0; // never -0
  if (to - from > CENTURY_MS) throw new RangeError(`business time is only measured over up to a century, not ${from}..${to}`);
  let total = 0;
  walkRunningTime(calendar, from, to, mergePauses(pauses), (start, end) => {
    if (start >= to) return true;
    total += Math.min(end, to) - start;
    return false;
  });
  return total / SECOND_MS;
}

/** Like businessSecondsBetween, in minutes; a fraction when the seconds are not a whole number of minutes. */
export function businessMinutesBetween(calendar: Calendar, fromMs: number, toMs: number, pauses: readonly Pause[] = []): number {
  return businessSecondsBetween(calendar, fromMs, toMs, pauses) / 60;
}

/** The first instant at or after `atMs` (truncated to the second) at which `calendar` is open. */
export function nextOpening(calendar: Calendar, atMs: number): number {
  let opening = Number.NaN;
  walkRunningTime(calendar, wholeSecond(atMs, 'instant'), Infinity, NO_PAUSES, (start) => {
    opening = start;
    return true;
  });
  return opening;
}

/** Whether `calendar` is open at `atMs` (an opening time is open, a closing time is not). */
export function isOpenAt(calendar: Calendar, atMs: number): boolean {
  return nextOpening(calendar, atMs) === wholeSecond(atMs, 'instant');
}
