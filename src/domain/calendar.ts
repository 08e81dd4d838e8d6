/**
 * Business-hour calendars: an IANA zone, weekly open hours and holidays, read from config and prepared once
 * so that business-time arithmetic (business-time.ts) never has to parse or build date objects per minute.
 */
import { IANAZone } from 'luxon';
import { HOURS_SHORTHANDS, parseWeeklyHours, weeklyOpenMinutes, type WeeklyHours } from './calendar-hours.js';

export { WEEKDAYS, type OpenSpan, type Weekday, type WeeklyHours } from './calendar-hours.js';

/** A prepared calendar. Treat it as immutable: the arithmetic caches day layouts per calendar object. */
export interface Calendar {
  /** The name config and SLA policies refer to it by. */
  readonly name: string;
  /** IANA zone the open hours and holidays are read in, e.g. "Europe/Berlin". */
  readonly zone: string;
  /** Open spans per weekday, Monday first, in minutes from local midnight (1440 = "24:00"). */
  readonly week: WeeklyHours;
  /** Closed local dates, "YYYY-MM-DD", sorted, without repeats. */
  readonly holidays: readonly string[];
  /** The same holidays as local day numbers (days since 1970-01-01), which is how the arithmetic looks them up. */
  readonly holidayDays: ReadonlySet<number>;
  /** Open minutes in an ordinary week (no holiday, no clock change); always more than zero. */
  readonly weeklyOpenMinutes: number;
}

/** What parsing one calendar gives: the calendar when it is usable, and every problem found. */
export interface CalendarParse {
  calendar?: Calendar;
  problems: string[];
}

const DAY_MS = 86_400_000;
const KNOWN_KEYS = ['zone', 'hours', 'holidays'];

/** Days since 1970-01-01 of a proleptic Gregorian date; the same numbering the arithmetic uses for local dates. */
export function localDayNumber(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, years 0..99 stay themselves
  return Math.floor(date.getTime() / DAY_MS);
}

/** Reads a "YYYY-MM-DD" local date; undefined when it is not a real date (2024-02-30, 2023-02-29, 2024-13-01). */
function readLocalDate(raw: unknown): { text: string; day: number } | undefined {
  // A YAML 1.1 reader turns an unquoted 2024-12-25 into a Date at UTC midnight: take it as that date.
  if (raw instanceof Date && !Number.isNaN(raw.getTime()) && raw.getTime() % DAY_MS === 0) {
    return { text: raw.toISOString().slice(0, 10), day: raw.getTime() / DAY_MS };
  }
  if (typeof raw !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const number = localDayNumber(year, month, day);
  const check = new Date(number * DAY_MS);
  const real = check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
  return real ? { text: raw.trim(), day: number } : undefined;
}

function parseZone(raw: unknown, keyPath: string, problems: string[]): string | undefined {
  if (raw === undefined || raw === null || raw === '') {
    problems.push(`${keyPath}: missing; give an IANA time zone such as Europe/Berlin or UTC`);
    return undefined;
  }
  if (typeof raw !== 'string' || !IANAZone.isValidZone(raw)) {
    problems.push(`${keyPath}: ${JSON.stringify(raw)} is not a known IANA time zone (such as Europe/Berlin or UTC)`);
    return undefined;
  }
  return raw;
}

function parseHolidays(raw: unknown, keyPath: string, problems: string[]): Map<number, string> {
  const holidays = new Map<number, string>();
  if (raw === undefined || raw === null) return holidays;
  if (!Array.isArray(raw)) {
    problems.push(`${keyPath}: must be a list of local dates such as ["2024-12-25"]`);
    return holidays;
  }
  raw.forEach((entry: unknown, index) => {
    const date = readLocalDate(entry);
    if (date) holidays.set(date.day, date.text);
    else problems.push(`${keyPath}[${index}]: ${JSON.stringify(entry)} is not a valid date YYYY-MM-DD`);
  });
  return holidays;
}

/**
 * Validates and prepares one calendar from its parsed-YAML value. `keyPath` prefixes every problem,
 * e.g. `calendars.berlin-office`. Nothing is clamped or guessed: anything doubtful is a problem, and the
 * calendar is only returned when there are none.
 */
export function parseCalendar(name: string, raw: unknown, keyPath = `calendars.${name}`): CalendarParse {
  const problems: string[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { problems: [`${keyPath}: must be a table with zone, hours and optional holidays`] };
  }
  const fields = raw as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!KNOWN_KEYS.includes(key)) problems.push(`${keyPath}.${key}: unknown key (expected ${KNOWN_KEYS.join(', ')})`);
  }
  const zone = parseZone(fields.zone, `${keyPath}.zone`, problems);
  let week: WeeklyHours = [];
  if (fields.hours === undefined || fields.hours === null) {
    problems.push(`${keyPath}.hours: missing; give 24x7, 12x5 or a table such as { mon: ["09:00-17:00"] }`);
  } else {
    const hourProblems: string[] = [];
    week = parseWeeklyHours(fields.hours, `${keyPath}.hours`, hourProblems);
    problems.push(...hourProblems);
    // An empty week would make every due time infinite; only worth saying when the hours were readable.
    if (hourProblems.length === 0 && weeklyOpenMinutes(week) === 0) {
      problems.push(`${keyPath}.hours: no open time in the whole week; a calendar must be open at some point`);
    }
  }
  const holidays = parseHolidays(fields.holidays, `${keyPath}.holidays`, problems);
  if (problems.length > 0 || zone === undefined) return { problems };
  const calendar: Calendar = Object.freeze({
    name,
    zone,
    week,
    holidays: Object.freeze([...new Set(holidays.values())].sort()),
    holidayDays: new Set(holidays.keys()),
    weeklyOpenMinutes: weeklyOpenMinutes(week),
  });
  return { calendar, problems };
}

/**
 * Validates and prepares the `calendars` table of config. Returns every usable calendar, plus the built-in
 * `24x7` and `12x5` unless config defines calendars of those names, and every problem with its key path.
 */
export function parseCalendars(raw: unknown, keyPath = 'calendars'): { calendars: Map<string, Calendar>; problems: string[] } {
  const calendars = new Map<string, Calendar>(Object.entries(BUILT_IN_CALENDARS));
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { calendars, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { calendars, problems: [`${keyPath}: must be a table of calendar names to { zone, hours, holidays }`] };
  }
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const parsed = parseCalendar(name, value, `${keyPath}.${name}`);
    problems.push(...parsed.problems);
    if (parsed.calendar) calendars.set(name, parsed.calendar);
    else calendars.delete(name); // a broken override must not fall back to the built-in silently
  }
  return { calendars, problems };
}

/** Like parseCalendar, for code and tests that hold a known-good definition: throws listing every problem. */
export function createCalendar(name: string, raw: unknown): Calendar {
  const { calendar, problems } = parseCalendar(name, raw);
  if (!calendar) throw new Error(`calendar ${name} is not valid:\n  ${problems.join('\n  ')}`);
  return calendar;
}

/** The calendars every deployment has without config: `24x7` and `12x5` (08:00-20:00 Monday to Friday), both UTC. */
export const BUILT_IN_CALENDARS: Readonly<Record<string, Calendar>> = Object.freeze(
  Object.fromEntries(Object.keys(HOURS_SHORTHANDS).map((name) => [name, createCalendar(name, { zone: 'UTC', hours: name })])),
);
