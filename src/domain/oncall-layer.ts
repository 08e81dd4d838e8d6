/**
 * One layer of an on-call schedule, prepared for arithmetic: which rotation entry is on call at an
 * instant, without walking the turns.
 *
 * The contract, which the rest of the on-call code and its callers rely on:
 * - Turn k starts at `start` plus k turns in the layer's zone, in wall-clock (calendar) arithmetic, for
 *   hours as much as for days and weeks: a daily 09:00 handoff stays at 09:00, a week across a clock
 *   change lasts 167 or 169 hours, and an 8-hour turn that spans one lasts 7 or 9. Wall-clock times
 *   become instants by the house rules: an ambiguous time is the earlier instant, a time inside a
 *   spring gap moves forward by the gap (a turn swallowed whole by a gap lasts no time at all).
 * - Before `start` the layer has nobody on call. Turn k is entry k mod n of the rotation.
 * - `restrict` windows hide time: outside every window the layer has nobody, and a lower layer shows.
 * - `turns: elapsed` (default): turns advance with the calendar, hidden or not, so with a 1-day turn and
 *   Monday-Friday windows the weekend turns are simply never seen.
 * - `turns: restricted`: the calendar is cut into slots of one turn unit (an hour, a day or a week, from
 *   `start`, in wall-clock arithmetic); only slots that touch a window on the wall clock count, and turn k
 *   is the k-th group of N counted slots. So `1 day` with Monday-Friday windows hands Monday to Friday
 *   to five consecutive entries and skips the weekend; `4 hours` with 09:00-17:00 hands off at 13:00 and
 *   the next morning at 09:00. Handoffs happen at slot boundaries, as in elapsed mode. Counting is on the
 *   wall clock, so the pattern repeats every week and costs one table look-up.
 */
import { DAY_MS, MINUTE_MS, type ZoneClock } from './oncall-zone.js';
import {
  DAY_MINUTES,
  WEEK_MINUTES,
  createWindowTable,
  isInWindow,
  nextWindowEdge,
  touchesWindow,
  type RestrictWindow,
  type WindowTable,
} from './oncall-windows.js';

/** The unit of a turn as written in config (`1 week`, `12 hours`). */
export type TurnUnit = 'hours' | 'days' | 'weeks';

/** A turn length: a whole number (≥ 1) of hours, days or weeks of wall-clock time. */
export interface Turn {
  readonly amount: number;
  readonly unit: TurnUnit;
}

/** How turns count time when the layer has restriction windows; see the module comment. */
export type TurnCounting = 'elapsed' | 'restricted';

/** What config says about a layer, already validated (oncall-schedule-parse.ts). */
export interface LayerSpec {
  readonly name: string;
  /** IANA zone of `start` and the windows: the layer's own, or else the schedule's. */
  readonly zone: string;
  /** The rotation: each entry is the users on call together during one turn, deduplicated, in config order. */
  readonly entries: readonly (readonly string[])[];
  /** Local day number and minute of the first handoff (`start`, read in `zone`). */
  readonly startDay: number;
  readonly startMinute: number;
  readonly turn: Turn;
  /** Restriction windows; empty means on call around the clock. */
  readonly restrict: readonly RestrictWindow[];
  readonly turns: TurnCounting;
}

/** A prepared layer. Treat it as immutable: its window table caches instants per local date. */
export interface Layer extends LayerSpec {
  readonly clock: ZoneClock;
  /** The first handoff as local ms and as an instant. */
  readonly startLocalMs: number;
  readonly startMs: number;
  /** Wall-clock length of one slot in local ms: the whole turn (elapsed) or one turn unit (restricted). */
  readonly slotMs: number;
  /** Restricted mode: counted slots before slot r of a week of slots (r = 0..slots per week), from slot 0 on. */
  readonly counted?: Int32Array;
  /** The restriction windows laid out per local date (absent: on call around the clock). */
  readonly windows?: WindowTable;
}

const UNIT_MINUTES: Readonly<Record<TurnUnit, number>> = { hours: 60, days: DAY_MINUTES, weeks: WEEK_MINUTES };
const THURSDAY = 3; // weekday of local day 0, Monday = 0

/** Prepares a validated layer for queries (a few microseconds; do it once per config load). */
export function prepareLayer(spec: LayerSpec, clock: ZoneClock): Layer {
  const startLocalMs = spec.startDay * DAY_MS + spec.startMinute * MINUTE_MS;
  const unitMinutes = UNIT_MINUTES[spec.turn.unit];
  const windows = spec.restrict.length > 0 ? createWindowTable(spec.restrict, clock) : undefined;
  const restricted = spec.turns === 'restricted' && windows !== undefined;
  let counted: Int32Array | undefined;
  if (restricted) {
    const perWeek = WEEK_MINUTES / unitMinutes;
    const firstMinute = (((THURSDAY + spec.startDay) % 7) * DAY_MINUTES + spec.startMinute) % WEEK_MINUTES;
    counted = new Int32Array(perWeek + 1);
    for (let r = 0; r < perWeek; r++) {
      const slotStart = (firstMinute + r * unitMinutes) % WEEK_MINUTES;
      counted[r + 1] = counted[r]! + (touchesWindow(windows, slotStart, unitMinutes) ? 1 : 0);
    }
  }
  return {
    ...spec,
    // Frozen because whoIsOnCall hands these very arrays out as answers.
    entries: Object.freeze(spec.entries.map((entry) => Object.freeze([...entry]))),
    clock,
    startLocalMs,
    startMs: clock.toInstant(startLocalMs),
    slotMs: (restricted ? unitMinutes : unitMinutes * spec.turn.amount) * MINUTE_MS,
    ...(counted ? { counted } : {}),
    ...(windows ? { windows } : {}),
  };
}

/** The instant slot `s` starts. */
function slotStart(layer: Layer, s: number): number {
  return layer.clock.toInstant(layer.startLocalMs + s * layer.slotMs);
}

/**
 * The slot containing `ms` (≥ startMs): estimated from the wall clock, then corrected against the real
 * slot instants, which differ from the estimate only near a clock change (and skip slots lost in a gap).
 */
function slotAt(layer: Layer, ms: number): number {
  let s = Math.max(0, Math.floor((layer.clock.toLocal(ms) - layer.startLocalMs) / layer.slotMs));
  while (s > 0 && slotStart(layer, s) > ms) s--;
  while (slotStart(layer, s + 1) <= ms) s++;
  return s;
}

/** The turn number that slot `s` belongs to. */
function turnOfSlot(layer: Layer, s: number): number {
  const { counted } = layer;
  if (!counted) return s;
  const perWeek = counted.length - 1;
  const weeks = Math.floor(s / perWeek);
  const countedBefore = weeks * counted[perWeek]! + counted[s - weeks * perWeek]!;
  return Math.floor(countedBefore / layer.turn.amount);
}

/** The users this layer has on call at `ms`, or undefined when it has nobody (before start, outside windows). */
export function layerUsersAt(layer: Layer, ms: number): readonly string[] | undefined {
  if (ms < layer.startMs) return undefined;
  if (layer.windows && !isInWindow(layer.windows, ms)) return undefined;
  return layer.entries[turnOfSlot(layer, slotAt(layer, ms)) % layer.entries.length];
}

/**
 * The first instant strictly after `ms` at which this layer's answer may change: its start, a slot
 * boundary or a window edge. (It may also not change there: the next entry can be the same people.)
 */
export function layerNextEdge(layer: Layer, ms: number): number {
  if (ms < layer.startMs) return layer.startMs;
  const boundary = slotStart(layer, slotAt(layer, ms) + 1);
  return layer.windows ? Math.min(boundary, nextWindowEdge(layer.windows, ms)) : boundary;
}
