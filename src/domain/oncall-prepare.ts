/**
 * A prepared on-call schedule: its layers ready for arithmetic and its overrides flattened into one
 * timeline, so a query costs a binary search plus a few look-ups per layer.
 */
import { prepareLayer, type Layer, type LayerSpec } from './oncall-layer.js';
import { zoneClock } from './oncall-zone.js';

/** Someone on call in place of the layers from `from` (inclusive) to `to` (exclusive), epoch ms. */
export interface Override {
  readonly user: string;
  readonly from: number;
  readonly to: number;
}

/** A prepared schedule. Treat it as immutable (its layers cache per-date tables). */
export interface Schedule {
  /** The name config, policies and commands refer to it by. */
  readonly name: string;
  /** IANA zone of the schedule; a layer without its own zone reads its start and windows here. */
  readonly zone: string;
  /** Layers in config order: a later layer takes precedence wherever it has someone on call. */
  readonly layers: readonly Layer[];
  /** Overrides in config order: they win over every layer, and a later one wins over an earlier one. */
  readonly overrides: readonly Override[];
  /** Sorted instants where the override answer changes; overrideUsers[i] holds from edge i to edge i + 1. */
  readonly overrideEdges: Float64Array;
  /** The override in force after each edge, as the answer array to hand out, or undefined for none. */
  readonly overrideUsers: ReadonlyArray<readonly string[] | undefined>;
}

/** What prepareSchedule needs: validated parts (oncall-schedule-parse.ts does the validating). */
export interface ScheduleSpec {
  readonly name: string;
  readonly zone: string;
  readonly layers: readonly LayerSpec[];
  readonly overrides: readonly Override[];
}

/**
 * Flattens overrides that may overlap into consecutive stretches with one winner each (the latest in
 * config order), so the query does not have to weigh them.
 */
function overrideTimeline(overrides: readonly Override[]): Pick<Schedule, 'overrideEdges' | 'overrideUsers'> {
  const edges = [...new Set(overrides.flatMap((o) => [o.from, o.to]))].sort((a, b) => a - b);
  const answers = new Map<string, readonly string[]>();
  const users = edges.map((edge) => {
    let winner: string | undefined;
    for (const o of overrides) if (o.from <= edge && edge < o.to) winner = o.user;
    if (winner === undefined) return undefined;
    let answer = answers.get(winner);
    if (!answer) answers.set(winner, (answer = Object.freeze([winner])));
    return answer;
  });
  return { overrideEdges: Float64Array.from(edges), overrideUsers: users };
}

/** Prepares a validated schedule; layers that share a zone share its offset cache. */
export function prepareSchedule(spec: ScheduleSpec): Schedule {
  return Object.freeze({
    name: spec.name,
    zone: spec.zone,
    layers: Object.freeze(spec.layers.map((layer) => prepareLayer(layer, zoneClock(layer.zone)))),
    overrides: Object.freeze(spec.overrides.map((o) => Object.freeze({ ...o }))),
    ...overrideTimeline(spec.overrides),
  });
}

/** The index of the last override edge at or before `ms`, or -1. */
function edgeIndexAt(schedule: Schedule, ms: number): number {
  const edges = schedule.overrideEdges;
  let lo = 0;
  let hi = edges.length; // answer in [lo - 1, hi - 1]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The override user on call at `ms` (as a one-element answer), or undefined. */
export function overrideAt(schedule: Schedule, ms: number): readonly string[] | undefined {
  const i = edgeIndexAt(schedule, ms);
  return i < 0 ? undefined : schedule.overrideUsers[i];
}

/** The first override edge strictly after `ms`, or Infinity. */
export function nextOverrideEdge(schedule: Schedule, ms: number): number {
  const i = edgeIndexAt(schedule, ms) + 1;
  return i < schedule.overrideEdges.length ? schedule.overrideEdges[i]! : Infinity;
}

/**
 * The schedule with more overrides after its own (they win over earlier ones where they overlap):
 * overrides added at run time (`/oncall override`). The prepared layers are shared, not rebuilt.
 */
export function withOverrides(schedule: Schedule, extra: readonly Override[]): Schedule {
  if (extra.length === 0) return schedule;
  const overrides = [...schedule.overrides, ...extra.map((o) => Object.freeze({ ...o }))];
  return Object.freeze({ ...schedule, overrides: Object.freeze(overrides), ...overrideTimeline(overrides) });
}
