/**
 * On-call schedules: who is on call at an instant, until when, and the final shifts over a stretch.
 * Pure: every instant comes in as an argument (epoch ms, UTC) and goes out as a number.
 *
 * The rules, which callers may rely on (the rotation arithmetic itself is described in oncall-layer.ts):
 * - Overrides win over every layer, wherever they are, even where no layer has anyone; where overrides
 *   overlap, the one listed later wins. An override replaces the whole answer (a group too) by its user.
 * - Otherwise the last layer (in config order) that has someone on call at T gives the answer; layers
 *   below it do not add to it. Nobody anywhere → [].
 * - Intervals are half-open: a shift, override or window includes its start and excludes its end, so at
 *   a handoff instant the incoming people are on call.
 * - The answer is the entry's users in config order without repeats, the same frozen array each time it
 *   is the same answer (do not mutate it).
 */
import { layerNextEdge, layerUsersAt } from './oncall-layer.js';
import { nextOverrideEdge, overrideAt, type Schedule } from './oncall-prepare.js';
import { DAY_MS } from './oncall-zone.js';

// One entry point for callers: parsing and the types live in the files next door (file size).
export { createSchedule, parseSchedule, parseSchedules, type ScheduleParse } from './oncall-schedule-parse.js';
export type { Override, Schedule } from './oncall-prepare.js';
export { withOverrides } from './oncall-prepare.js';
export type { Layer, Turn, TurnCounting, TurnUnit } from './oncall-layer.js';
export type { RestrictWindow } from './oncall-windows.js';

/** A stretch during which the same people are on call: from (inclusive) to (exclusive), epoch ms. */
export interface Shift {
  readonly users: readonly string[];
  readonly from: number;
  readonly to: number;
}

/** How far nextChange and nextOnCall look by default: two years, beyond which "until further notice" is honest. */
export const DEFAULT_HORIZON_MS = 731 * DAY_MS;
const NOBODY: readonly string[] = Object.freeze([]);

/** Dates reach ±8.64e15 ms; past that luxon has no offsets to give and every answer would be NaN-shaped. */
const LAST_INSTANT = 8.64e15;

function checkInstant(ms: number, what: string): void {
  if (!(Math.abs(ms) <= LAST_INSTANT)) throw new RangeError(`${what} must be an epoch-milliseconds instant, got ${ms}`);
}

function usersAt(schedule: Schedule, ms: number): readonly string[] {
  const override = overrideAt(schedule, ms);
  if (override) return override;
  const { layers } = schedule;
  for (let i = layers.length - 1; i >= 0; i--) {
    const users = layerUsersAt(layers[i]!, ms);
    if (users) return users;
  }
  return NOBODY;
}

/**
 * The user ids on call at `atMs` under `schedule` (overrides, then the top-most layer with someone),
 * deduplicated, in config order; [] when nobody is. Example: the l2-primary without its restrict
 * and override has agent1 at 2024-11-05T05:30Z and agent2 from 06:00Z (Tuesday 00:00 CST).
 */
export function whoIsOnCall(schedule: Schedule, atMs: number): readonly string[] {
  checkInstant(atMs, 'the instant');
  return usersAt(schedule, atMs);
}

/** Whether two answers name the same people (order aside: a group listed differently is the same shift). */
function samePeople(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((user) => b.includes(user)));
}

/** The first instant strictly after `ms` at which any part of the schedule may change its answer. */
function nextEdge(schedule: Schedule, ms: number): number {
  let edge = nextOverrideEdge(schedule, ms);
  for (const layer of schedule.layers) edge = Math.min(edge, layerNextEdge(layer, ms));
  return edge;
}

/**
 * Calls `visit(users, from, to)` for each stretch of unchanging answer from `fromMs` to `toMs` (clipped
 * to both), in order, with neighbours always different; stops early when `visit` returns true.
 */
function walkAnswers(schedule: Schedule, fromMs: number, toMs: number, visit: (users: readonly string[], from: number, to: number) => boolean): void {
  let from = fromMs;
  let users = usersAt(schedule, fromMs);
  let cursor = fromMs;
  while (cursor < toMs) {
    const edge = Math.min(nextEdge(schedule, cursor), toMs);
    const next = edge < toMs ? usersAt(schedule, edge) : NOBODY;
    if (edge >= toMs || !samePeople(next, users)) {
      if (visit(users, from, edge)) return;
      from = edge;
      users = next;
    }
    cursor = edge;
  }
}

/**
 * The first instant after `atMs` at which the answer of whoIsOnCall changes (a handoff, a window opening
 * or closing with effect, an override starting or ending), for "on call until ..." and handoff notices.
 * undefined when nothing changes within `horizonMs` (default two years).
 */
export function nextChange(schedule: Schedule, atMs: number, horizonMs = DEFAULT_HORIZON_MS): number | undefined {
  checkInstant(atMs, 'the instant');
  let change: number | undefined;
  walkAnswers(schedule, atMs, atMs + horizonMs, (_users, _from, to) => {
    if (to < atMs + horizonMs) change = to;
    return true;
  });
  return change;
}

/**
 * The final shifts between `fromMs` and `toMs`: who is on call from when to when, after layers and
 * overrides, clipped to the range, in time order, with adjacent stretches of the same people merged.
 * Stretches with nobody on call are left out (they are the gaps between shifts). Throws a RangeError
 * for a range longer than ten years.
 */
export function shifts(schedule: Schedule, fromMs: number, toMs: number): Shift[] {
  checkInstant(fromMs, 'from');
  checkInstant(toMs, 'to');
  if (toMs - fromMs > 3_653 * DAY_MS) throw new RangeError('shifts are listed for up to ten years at a time');
  const out: Shift[] = [];
  walkAnswers(schedule, fromMs, toMs, (users, from, to) => {
    if (users.length > 0) out.push({ users, from, to });
    return false;
  });
  return out;
}

/**
 * Who comes on call next: the first shift that starts after `atMs` with people other than those on call
 * at `atMs` (a gap with nobody does not count as a shift). Its `to` is cut at the horizon when the shift
 * runs past it. undefined when there is none within `horizonMs` (default two years).
 */
export function nextOnCall(schedule: Schedule, atMs: number, horizonMs = DEFAULT_HORIZON_MS): Shift | undefined {
  checkInstant(atMs, 'the instant');
  const now = usersAt(schedule, atMs);
  let found: Shift | undefined;
  walkAnswers(schedule, atMs, atMs + horizonMs, (users, from, to) => {
    if (from > atMs && users.length > 0 && !samePeople(users, now)) found = { users, from, to };
    return found !== undefined;
  });
  return found;
}
