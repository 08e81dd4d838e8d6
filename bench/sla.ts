/**
 * SLA clock benchmark: how many due times per second the business-time arithmetic computes, and how that
 * compares with moment-business-time on the cases where both mean the same thing.
 *
 * Figures: sla.due_per_s (our mix), sla.between_per_s (the reverse question on the same mix),
 * sla.due_per_s.peer (moment-business-time on the shared set), sla.due_speedup_vs_peer (ours / peer on
 * that same shared set) and sla.peer_mismatches (shared cases whose due times differ; expected 0).
 */
import { createRequire } from 'node:module';
import { addBusinessMinutes, businessMinutesBetween } from '../src/domain/business-time.js';
import { BUILT_IN_CALENDARS, createCalendar, type Calendar } from '../src/domain/calendar.js';
import { seededRandom } from '../test/support/seeded-random.js';

type Emit = (name: string, value: number, unit: string) => void;

/** The part of moment-business-time used here (the package ships no types, hence require + this shape). */
interface BusinessMoment {
  addWorkingTime(amount: number, unit: 'minutes'): BusinessMoment;
  valueOf(): number;
}
interface PeerMoment {
  utc(ms: number): BusinessMoment;
  updateLocale(locale: string, config: { workinghours: PeerHours; holidays: string[] }): unknown;
}
/** moment-business-time's weekly hours: Sunday = 0, flat [open, close, open, close] "HH:mm:ss" lists. */
type PeerHours = Record<number, string[] | null>;

interface Case {
  calendar: Calendar;
  start: number;
  minutes: number;
}

/** A calendar both libraries can run: a UTC calendar of ours and the same hours in moment's terms. */
interface SharedCalendar {
  calendar: Calendar;
  peerHours: PeerHours;
  holidays: string[];
  /** Sub-minute starts are only compared where the peer handles them like we do (see sharedCases). */
  secondStarts: boolean;
}

const MIX_SIZE = 20_000;
const SHARED_SIZE = 4_000;
const MIN_MEASURE_MS = 1_000;
const MAX_BUDGET_MINUTES = 5 * 8 * 60; // five office days
const YEAR_START = Date.UTC(2024, 0, 1);
const YEAR_END = Date.UTC(2025, 0, 1);

const GERMAN_HOLIDAYS_2024 = [
  '2024-01-01',
  '2024-03-29',
  '2024-04-01',
  '2024-05-01',
  '2024-05-09',
  '2024-05-20',
  '2024-10-03',
  '2024-12-25',
  '2024-12-26',
];
const US_HOLIDAYS_2024 = ['2024-01-01', '2024-01-15', '2024-05-27', '2024-07-04', '2024-09-02', '2024-11-28', '2024-12-25'];

const weekdays = (ranges: string[]) => ({ mon: ranges, tue: ranges, wed: ranges, thu: ranges, fri: ranges });

/** Budgets log-uniform over 1 minute .. 5 office days (first-response targets are short, resolutions long). */
function drawCase(next: () => number, calendar: Calendar, startUnitMs: number): Case {
  const start = Math.floor((YEAR_START + next() * (YEAR_END - YEAR_START)) / startUnitMs) * startUnitMs;
  const minutes = Math.max(1, Math.round(Math.exp(next() * Math.log(MAX_BUDGET_MINUTES))));
  return { calendar, start, minutes };
}

function ourMix(): Case[] {
  const calendars = [
    createCalendar('berlin-office', { zone: 'Europe/Berlin', hours: weekdays(['09:00-17:00']), holidays: GERMAN_HOLIDAYS_2024 }),
    createCalendar('new-york', { zone: 'America/New_York', hours: weekdays(['09:00-17:00']), holidays: US_HOLIDAYS_2024 }),
    createCalendar('sydney', { zone: 'Australia/Sydney', hours: weekdays(['08:30-12:30', '13:30-17:30']) }),
    BUILT_IN_CALENDARS['12x5']!,
    BUILT_IN_CALENDARS['24x7']!,
  ];
  const next = seededRandom(2024);
  return Array.from({ length: MIX_SIZE }, (_, i) => drawCase(next, calendars[i % calendars.length]!, 1_000));
}

function sharedCalendars(): SharedCalendar[] {
  const peerWeekdays = (times: string[]): PeerHours => ({ 0: null, 1: times, 2: times, 3: times, 4: times, 5: times, 6: null });
  return [
    {
      calendar: createCalendar('utc-office', { zone: 'UTC', hours: weekdays(['09:00-17:00']), holidays: GERMAN_HOLIDAYS_2024 }),
      peerHours: peerWeekdays(['09:00:00', '17:00:00']),
      holidays: GERMAN_HOLIDAYS_2024,
      secondStarts: true,
    },
    {
      calendar: createCalendar('utc-lunch', { zone: 'UTC', hours: weekdays(['09:00-12:00', '13:00-17:00']), holidays: US_HOLIDAYS_2024 }),
      peerHours: peerWeekdays(['09:00:00', '12:00:00', '13:00:00', '17:00:00']),
      holidays: US_HOLIDAYS_2024,
      secondStarts: true,
    },
    { calendar: BUILT_IN_CALENDARS['12x5']!, peerHours: peerWeekdays(['08:00:00', '20:00:00']), holidays: [], secondStarts: true },
    // Where the semantics part: when one open span ends exactly where the next begins (midnight, 24x7) and
    // the walk reaches that end with seconds left over, moment-business-time adds the leftover seconds twice
    // (e.g. 19:32:44 + 475 min: we say 03:27:44, it says 03:28:28). With whole-minute starts there are no
    // leftover seconds and the two agree, so 24x7 is compared on whole-minute starts only.
    // Closing times, by contrast, agree: both are due at a closing time when the budget ends there, and both
    // count a start at closing from the next opening (probed at every opening/closing, not only sampled).
    {
      calendar: BUILT_IN_CALENDARS['24x7']!,
      peerHours: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, ['00:00:00', '24:00:00']])),
      holidays: [],
      secondStarts: false,
    },
  ];
}

/** The shared set, grouped per calendar because moment-business-time keeps its hours in global locale state. */
function sharedCases(calendars: SharedCalendar[]): Array<{ shared: SharedCalendar; cases: Case[] }> {
  const next = seededRandom(7);
  const perCalendar = SHARED_SIZE / calendars.length;
  return calendars.map((shared) => ({
    shared,
    cases: Array.from({ length: perCalendar }, () => drawCase(next, shared.calendar, shared.secondStarts ? 1_000 : 60_000)),
  }));
}

/** Runs `pass` (which handles `count` cases) until at least MIN_MEASURE_MS has passed; cases per second. */
function rate(count: number, pass: () => number): number {
  let checksum = pass(); // warm-up: JIT and the calendars' day tables, as in a running desk
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

function dueAll(cases: Case[]): number {
  let sum = 0;
  for (const c of cases) sum += addBusinessMinutes(c.calendar, c.start, c.minutes) % 1_000_003;
  return sum;
}

/** Runs the bench and reports each figure through `emit`. */
export async function run(emit: Emit): Promise<void> {
  const mix = ourMix();
  emit('sla.due_per_s', Math.round(rate(mix.length, () => dueAll(mix))), 'ops/s');
  const dues = mix.map((c) => addBusinessMinutes(c.calendar, c.start, c.minutes));
  const betweenPass = (): number => {
    let sum = 0;
    mix.forEach((c, i) => (sum += businessMinutesBetween(c.calendar, c.start, dues[i]!)));
    return sum;
  };
  emit('sla.between_per_s', Math.round(rate(mix.length, betweenPass)), 'ops/s');

  const peer = createRequire(import.meta.url)('moment-business-time') as PeerMoment;
  const groups = sharedCases(sharedCalendars());
  const shared = groups.flatMap((g) => g.cases);
  const peerPass = (check: boolean): number => {
    let sum = 0;
    let mismatches = 0;
    for (const { shared: cal, cases } of groups) {
      peer.updateLocale('en', { workinghours: cal.peerHours, holidays: cal.holidays });
      for (const c of cases) {
        const due = peer.utc(c.start).addWorkingTime(c.minutes, 'minutes').valueOf();
        sum += due % 1_000_003;
        if (check && due !== addBusinessMinutes(c.calendar, c.start, c.minutes)) mismatches++;
      }
    }
    return check ? mismatches : sum;
  };
  emit('sla.peer_mismatches', peerPass(true), 'count');
  const peerRate = rate(shared.length, () => peerPass(false));
  const oursRate = rate(shared.length, () => dueAll(shared));
  emit('sla.due_per_s.peer', Math.round(peerRate), 'ops/s');
  emit('sla.due_speedup_vs_peer', Math.round((oursRate / peerRate) * 10) / 10, 'x');
}
