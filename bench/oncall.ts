/**
 * On-call benchmark: who-is-on-call queries per second at random instants over a year, for a three-layer
 * schedule with restriction windows (both turn modes, one wrapping midnight, one layer in its own zone)
 * and overrides, prepared once as a running desk does; and the time to list a year of final shifts.
 *
 * Figures: oncall.who_per_s (goal: over 100,000/s) and oncall.shifts_year_ms.
 */
import { createSchedule, shifts, whoIsOnCall, type Schedule } from '../src/domain/oncall-schedule.js';
import { seededRandom } from '../test/support/seeded-random.js';

type Emit = (name: string, value: number, unit: string) => void;

const QUERIES = 50_000;
const MIN_MEASURE_MS = 1_000;
const YEAR_START = Date.UTC(2024, 0, 1);
const YEAR_END = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;

/** A year of overrides: one every few days, a few hours to two days long, some overlapping. */
function overrides(next: () => number): Array<{ user: string; from: string; to: string }> {
  const out = [];
  for (let t = YEAR_START; t < YEAR_END; t += Math.floor((1 + next() * 6) * 24) * HOUR) {
    const length = Math.floor(2 + next() * 46) * HOUR;
    out.push({ user: `cover${Math.floor(next() * 4)}`, from: new Date(t).toISOString(), to: new Date(t + length).toISOString() });
  }
  return out;
}

function benchSchedule(): Schedule {
  return createSchedule('bench', {
    zone: 'America/Chicago',
    layers: [
      // Weekly primary around the clock, handoff Monday 09:00 local, across both clock changes.
      { name: 'primary', users: ['a1', 'a2', ['a3', 'a4'], 'a5'], start: '2023-12-25T09:00', turn: '1 week' },
      // Office-hours daily rotation that only counts weekdays.
      {
        name: 'office',
        users: ['b1', 'b2', 'b3', 'b4', 'b5'],
        start: '2024-01-01T09:00',
        turn: '1 day',
        restrict: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
        turns: 'restricted',
      },
      // European nights, in their own zone, wrapping midnight; 12-hour turns that elapse with the calendar.
      {
        name: 'europe-nights',
        zone: 'Europe/Berlin',
        users: ['c1', 'c2', 'c3'],
        start: '2024-01-01T22:00',
        turn: '12 hours',
        restrict: [
          { from: '22:00', to: '06:00' },
          { days: ['sat', 'sun'], from: '10:00', to: '14:00' },
        ],
      },
    ],
    overrides: overrides(seededRandom(6)),
  });
}

/** Runs `pass` until at least MIN_MEASURE_MS has passed; passes of `count` queries per second. */
function rate(count: number, pass: () => number): number {
  let checksum = pass(); // warm-up: JIT and the per-date tables, as in a running desk
  let done = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_MEASURE_MS) {
    checksum += pass();
    done += count;
    elapsed = performance.now() - started;
  }
  if (Number.isNaN(checksum)) throw new Error('benchmark produced NaN'); // also keeps the work observable
  return (done / elapsed) * 1_000;
}

/** Runs the bench and reports each figure through `emit`. */
export async function run(emit: Emit): Promise<void> {
  const schedule = benchSchedule();
  const next = seededRandom(2024);
  const instants = Float64Array.from({ length: QUERIES }, () => Math.floor(YEAR_START + next() * (YEAR_END - YEAR_START)));
  const pass = (): number => {
    let sum = 0;
    for (const t of instants) sum += whoIsOnCall(schedule, t).length;
    return sum;
  };
  emit('oncall.who_per_s', Math.round(rate(QUERIES, pass)), 'queries/s');

  // A fresh schedule, so the year of shifts pays for its own per-date tables as a first listing would.
  const cold = benchSchedule();
  const started = performance.now();
  const year = shifts(cold, YEAR_START, YEAR_END);
  const coldMs = performance.now() - started;
  if (year.length === 0) throw new Error('a year without shifts: the bench schedule is broken');
  emit('oncall.shifts_year_ms', Math.round(coldMs * 10) / 10, 'ms');
}
