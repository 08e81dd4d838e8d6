/**
 * Lays a calendar's weekly hours out on real local dates and turns them into instants (epoch ms),
 * caching each date's result: the arithmetic then walks plain number arrays.
 *
 * Local dates are numbered like calendar.ts does: days since 1970-01-01 (day 0 was a Thursday).
 * A local wall-clock time on day `d` is written as "local ms" `d * DAY_MS + minutes * MINUTE_MS`,
 * i.e. the instant it would be if the zone were UTC.
 */
import { IANAZone } from 'luxon';
import type { Calendar } from './calendar.js';

/** Milliseconds in a day of the "local ms" numbering (not every real local day lasts this long). */
export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Day numbers past this (9999-12-31) are refused: a walk that far is a runaway budget, not an SLA. */
export const LAST_DAY = 2_932_896;
/** Enough for ~27 years of dates per calendar; past that the cache starts over rather than growing forever. */
const CACHE_LIMIT = 10_000;
const CLOSED: readonly number[] = Object.freeze([]);
const SAMPLE_DAYS = 3;

/**
 * The instant a local wall-clock time happens in `zone`, by the house rules (ARCHITECTURE.md, seam 8):
 * a time that happens twice (autumn) is the earlier instant; a time that never happens (spring gap) is
 * read with the offset from before the change, which lands it later by the size of the gap.
 * luxon would pick the later instant for the autumn case, so both candidates are computed here.
 */
export function localToInstant(zone: IANAZone, localMs: number): number {
  // Offsets a day either side are safely outside any transition near this wall time (offsets are < 24 h).
  const before = zone.offset(localMs - DAY_MS);
  const after = zone.offset(localMs + DAY_MS);
  const withBefore = localMs - before * MINUTE_MS;
  if (before === after) return withBefore;
  const withAfter = localMs - after * MINUTE_MS;
  const beforeFits = zone.offset(withBefore) === before;
  const afterFits = zone.offset(withAfter) === after;
  if (beforeFits && afterFits) return Math.min(withBefore, withAfter);
  if (afterFits) return withAfter;
  return withBefore; // fits alone, or the gap case described above
}

/** Monday = 0 ... Sunday = 6, for a day number. */
export function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** The zone's offset at the start (UTC) of day `sample * SAMPLE_DAYS`; sampled so a walk costs one look-up per three days. */
function sampledOffset(table: DayTable, sample: number): number {
  let offset = table.offsets.get(sample);
  if (offset === undefined) {
    offset = table.zone.offset(sample * SAMPLE_DAYS * DAY_MS);
    table.offsets.set(sample, offset);
  }
  return offset;
}

function layOutDay(table: DayTable, day: number): readonly number[] {
  const { calendar, zone } = table;
  const spans = calendar.week[weekdayIndex(day)];
  if (!spans || spans.length === 0 || calendar.holidayDays.has(day)) return CLOSED;
  const midnight = day * DAY_MS;
  // Zones change offset at most once in a few days, so equal offsets at three sample points three days apart
  // around the whole date mean no change today: one subtraction per boundary instead of three offset look-ups.
  const first = Math.floor((day - 1) / SAMPLE_DAYS);
  const steady = sampledOffset(table, first);
  const isSteady = steady === sampledOffset(table, first + 1) && steady === sampledOffset(table, first + 2);
  const toInstant = (minutes: number): number =>
    isSteady ? midnight + (minutes - steady) * MINUTE_MS : localToInstant(zone, midnight + minutes * MINUTE_MS);
  const pairs: Array<[number, number]> = [];
  for (const span of spans) {
    const open = toInstant(span.start);
    const close = toInstant(span.end);
    if (close > open) pairs.push([open, close]); // else swallowed by a spring gap, e.g. 02:00-03:00 that day
  }
  // Gap shifting can move one span onto or past the next (02:10-02:50 becomes 03:10-03:50, next to a
  // 03:00-04:00): open whenever any span says so, in instant order.
  if (!isSteady) pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [open, close] of pairs) {
    const last = out.length - 1;
    if (last > 0 && open <= out[last]!) out[last] = Math.max(out[last]!, close);
    else out.push(open, close);
  }
  return out.length === 0 ? CLOSED : out;
}

/** One calendar's layout of open intervals per local date, filled on demand. */
export interface DayTable {
  readonly calendar: Calendar;
  readonly zone: IANAZone;
  /** Day number → flat [open, close, open, close, ...] instants, sorted and disjoint. */
  readonly days: Map<number, readonly number[]>;
  /** Sample number → zone offset in minutes; see sampledOffset. */
  readonly offsets: Map<number, number>;
}

const tables = new WeakMap<Calendar, DayTable>();

/** The day table of a calendar, made on first use and kept as long as the calendar object lives. */
export function dayTableOf(calendar: Calendar): DayTable {
  let table = tables.get(calendar);
  if (!table) {
    table = { calendar, zone: IANAZone.create(calendar.zone), days: new Map(), offsets: new Map() };
    tables.set(calendar, table);
  }
  return table;
}

/** The open intervals of a local date as flat [open, close, ...] instants, sorted and disjoint. */
export function openOn(table: DayTable, day: number): readonly number[] {
  let open = table.days.get(day);
  if (open === undefined) {
    if (day > LAST_DAY) throw new RangeError('business time reaches past the year 9999; is the budget right?');
    if (table.days.size >= CACHE_LIMIT) {
      table.days.clear();
      table.offsets.clear();
    }
    open = layOutDay(table, day);
    table.days.set(day, open);
  }
  return open;
}
