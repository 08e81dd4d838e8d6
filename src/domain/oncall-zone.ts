/**
 * A zone's clock for on-call arithmetic: offsets, instant ↔ local wall-clock conversion by the house rules
 * (ARCHITECTURE.md, seam 8), fast enough to run a few times per who-is-on-call query.
 *
 * luxon's IANAZone.offset costs several microseconds (it formats a date through Intl), so offsets are
 * looked up once per UTC day and kept: a day either has one offset, or one change at an instant found
 * by bisection. Real zones change offset at most once a day (changes are months, at least days, apart).
 *
 * "Local ms" is the numbering business-time-days.ts uses: a wall-clock time written as the instant it
 * would be if the zone were UTC, so local day number `d` starts at `d * DAY_MS`.
 */
import { IANAZone } from 'luxon';

/** Milliseconds in a day of the local-ms numbering (not every real local day lasts this long). */
export const DAY_MS = 86_400_000;
/** Milliseconds in a minute; offsets and wall-clock times in config are whole minutes. */
export const MINUTE_MS = 60_000;
/** Past this many cached days a clock starts over rather than growing without bound (~55 years). */
const CACHE_LIMIT = 20_000;

/** A zone's offsets on one UTC day: `before` until `changeAt`, `after` from then on (Infinity: no change). */
interface DayOffsets {
  readonly before: number;
  readonly changeAt: number;
  readonly after: number;
}

/** Instant ↔ wall-clock conversions in one IANA zone, cached; see the module comment. */
export interface ZoneClock {
  /** The IANA zone name. */
  readonly zone: string;
  /** The zone's offset from UTC at instant `ms`, in minutes (east positive). */
  offsetAt(ms: number): number;
  /** The local wall-clock time (local ms) at instant `ms`. */
  toLocal(ms: number): number;
  /**
   * The instant of a local wall-clock time: the earlier one when it happens twice (autumn), and moved
   * forward by the gap when it never happens (spring), i.e. read with the offset from before the change.
   */
  toInstant(localMs: number): number;
  /** Whether the local wall-clock time happens at all (false inside a spring-forward gap). */
  exists(localMs: number): boolean;
}

function offsetsOfDay(zone: IANAZone, day: number): DayOffsets {
  const start = day * DAY_MS;
  const last = start + DAY_MS - 1;
  const before = zone.offset(start);
  const after = zone.offset(last);
  if (before === after) return { before, changeAt: Infinity, after };
  // Bisect to the millisecond: the first instant that has the new offset (≈ 27 look-ups, twice a year).
  let lo = start;
  let hi = last;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return { before, changeAt: hi, after };
}

function createZoneClock(name: string): ZoneClock {
  const zone = IANAZone.create(name);
  const days = new Map<number, DayOffsets>();
  const offsetAt = (ms: number): number => {
    const day = Math.floor(ms / DAY_MS);
    let offsets = days.get(day);
    if (offsets === undefined) {
      if (days.size >= CACHE_LIMIT) days.clear();
      offsets = offsetsOfDay(zone, day);
      days.set(day, offsets);
    }
    return ms < offsets.changeAt ? offsets.before : offsets.after;
  };
  const toInstant = (localMs: number): number => {
    // Offsets a day either side are safely outside any change near this wall time (offsets are < 24 h).
    const before = offsetAt(localMs - DAY_MS);
    const after = offsetAt(localMs + DAY_MS);
    const withBefore = localMs - before * MINUTE_MS;
    if (before === after) return withBefore;
    const withAfter = localMs - after * MINUTE_MS;
    const beforeFits = offsetAt(withBefore) === before;
    const afterFits = offsetAt(withAfter) === after;
    if (beforeFits && afterFits) return Math.min(withBefore, withAfter);
    if (afterFits) return withAfter;
    return withBefore; // fits alone, or the gap: the old offset lands it later by the size of the gap
  };
  const toLocal = (ms: number): number => ms + offsetAt(ms) * MINUTE_MS;
  return {
    zone: name,
    offsetAt,
    toLocal,
    toInstant,
    exists: (localMs) => toLocal(toInstant(localMs)) === localMs,
  };
}

const clocks = new Map<string, ZoneClock>();

/**
 * The shared clock of an IANA zone (validate the name first: IANAZone.isValidZone). One per zone name,
 * so every layer in that zone shares the offset cache.
 */
export function zoneClock(zone: string): ZoneClock {
  let clock = clocks.get(zone);
  if (!clock) {
    clock = createZoneClock(zone);
    clocks.set(zone, clock);
  }
  return clock;
}

/** Monday = 0 ... Sunday = 6, for a local day number (day 0, 1970-01-01, was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}
