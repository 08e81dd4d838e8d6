/**
 * Restriction windows of an on-call layer: "on call only Monday to Friday 09:00-17:00", "every night
 * 22:00-06:00". Laid out on real local dates once per date and kept, so a query scans a few numbers.
 *
 * A window belongs to the local date it opens on: `{ days: [fri], from: "22:00", to: "06:00" }` runs from
 * Friday 22:00 to Saturday 06:00. Wall-clock times become instants by the house rules (zone clock), so a
 * window edge inside a spring gap moves forward by the gap and an ambiguous edge is the earlier instant.
 */
import { DAY_MS, MINUTE_MS, weekdayOf, type ZoneClock } from './oncall-zone.js';

/** Minutes in a day of wall-clock time. */
export const DAY_MINUTES = 1_440;
/** Minutes in a week of wall-clock time: the period of every window pattern. */
export const WEEK_MINUTES = 7 * DAY_MINUTES;
/** Enough for ~27 years of dates per layer; past that the cache starts over rather than growing forever. */
const CACHE_LIMIT = 10_000;
const NONE: readonly number[] = Object.freeze([]);

/** One restriction window as configured. */
export interface RestrictWindow {
  /** Weekdays the window opens on, Monday = 0 ... Sunday = 6, sorted, without repeats (all seven when config gave none). */
  readonly days: readonly number[];
  /** Opening, minutes after local midnight (0..1439). */
  readonly from: number;
  /** Closing, minutes after local midnight (0..1440); at or before `from` means the next day (the window wraps midnight). */
  readonly to: number;
}

/** A layer's windows laid out: weekly wall-clock intervals for counting, and per-date instants for queries. */
export interface WindowTable {
  readonly windows: readonly RestrictWindow[];
  /** Flat [open, close, ...] minutes of the week (Monday 00:00 = 0); a close may pass the week's end. */
  readonly weekly: readonly number[];
  readonly clock: ZoneClock;
  /** Local day number → flat [open, close, ...] instants of the windows opened that day or the day before, merged. */
  readonly days: Map<number, readonly number[]>;
}

/** Minutes a window stays open (1..1440). */
export function windowLength(window: RestrictWindow): number {
  return window.to > window.from ? window.to - window.from : window.to + DAY_MINUTES - window.from;
}

/** Prepares a layer's windows in its zone. */
export function createWindowTable(windows: readonly RestrictWindow[], clock: ZoneClock): WindowTable {
  const weekly: number[] = [];
  for (const window of windows) {
    for (const day of window.days) {
      const open = day * DAY_MINUTES + window.from;
      weekly.push(open, open + windowLength(window));
    }
  }
  return { windows, weekly, clock, days: new Map() };
}

/** Instants of the windows that open on local day `day`, as [open, close] pairs (unsorted). */
function openedOn(table: WindowTable, day: number, out: Array<[number, number]>): void {
  const weekday = weekdayOf(day);
  const midnight = day * DAY_MS;
  for (const window of table.windows) {
    if (!window.days.includes(weekday)) continue;
    const open = table.clock.toInstant(midnight + window.from * MINUTE_MS);
    const close = table.clock.toInstant(midnight + (window.from + windowLength(window)) * MINUTE_MS);
    if (close > open) out.push([open, close]); // else swallowed whole by a spring gap
  }
}

/**
 * Where the layer is on call around local day `day`: flat [open, close, ...] instants, sorted and
 * merged, of every window opened that day or the day before (a wrapping window reaches into the next day).
 */
export function coverageOn(table: WindowTable, day: number): readonly number[] {
  let cover = table.days.get(day);
  if (cover !== undefined) return cover;
  const pairs: Array<[number, number]> = [];
  openedOn(table, day - 1, pairs);
  openedOn(table, day, pairs);
  pairs.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [open, close] of pairs) {
    const last = merged.length - 1;
    if (last > 0 && open <= merged[last]!) merged[last] = Math.max(merged[last]!, close);
    else merged.push(open, close);
  }
  cover = merged.length === 0 ? NONE : merged;
  if (table.days.size >= CACHE_LIMIT) table.days.clear();
  table.days.set(day, cover);
  return cover;
}

/** Whether instant `ms` lies inside a window occurrence (an opening is inside, a closing is not). */
export function isInWindow(table: WindowTable, ms: number): boolean {
  const cover = coverageOn(table, Math.floor(table.clock.toLocal(ms) / DAY_MS));
  for (let i = 0; i < cover.length; i += 2) {
    if (ms < cover[i]!) return false;
    if (ms < cover[i + 1]!) return true;
  }
  return false;
}

/**
 * The first window opening or closing strictly after `ms`, or Infinity when there is none within ten
 * days (which cannot happen: every window opens at least once a week).
 */
export function nextWindowEdge(table: WindowTable, ms: number): number {
  const today = Math.floor(table.clock.toLocal(ms) / DAY_MS);
  let best = Infinity;
  // Day `d`'s coverage starts no earlier than local (d-1) 00:00, which is after (d-2) 00:00 UTC in any
  // zone (offsets are under a day): once the best edge is before that, later dates cannot beat it.
  for (let day = today; day <= today + 9 && best > (day - 2) * DAY_MS; day++) {
    for (const edge of coverageOn(table, day)) {
      if (edge > ms) {
        if (edge < best) best = edge;
        break;
      }
    }
  }
  return best;
}

/**
 * Whether the wall-clock stretch [start, start + length) minutes of the week touches a window. Counting
 * is on the wall clock, so the answer repeats every week (see the `restricted` turns in oncall-layer.ts).
 */
export function touchesWindow(table: WindowTable, start: number, length: number): boolean {
  const { weekly } = table;
  for (let i = 0; i < weekly.length; i += 2) {
    for (const shift of [-WEEK_MINUTES, 0, WEEK_MINUTES]) {
      if (start < weekly[i + 1]! + shift && weekly[i]! + shift < start + length) return true;
    }
  }
  return false;
}
