/**
 * The weekly opening hours of a calendar: reading them from config and the two shorthands.
 * Times are minutes from local midnight; 1440 ("24:00") is the next local date's midnight.
 */

/** One open span of a day, in minutes from local midnight: open from `start` (inclusive) to `end` (exclusive). */
export interface OpenSpan {
  readonly start: number;
  readonly end: number;
}

/** Seven days of open spans, Monday first. Each day is sorted, non-overlapping and has no touching spans. */
export type WeeklyHours = readonly (readonly OpenSpan[])[];

/** Weekday keys as written in config, in the order of `WeeklyHours`. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A weekday key as written in config. */
export type Weekday = (typeof WEEKDAYS)[number];

const MINUTES_PER_DAY = 1440;
const RANGE = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/;

const every = (days: readonly Weekday[], span: OpenSpan): WeeklyHours => WEEKDAYS.map((day) => (days.includes(day) ? [span] : []));

/** `hours: 24x7` and `hours: 12x5`: the shorthands config may use instead of a weekday table. */
export const HOURS_SHORTHANDS: Readonly<Record<string, WeeklyHours>> = {
  '24x7': every(WEEKDAYS, { start: 0, end: MINUTES_PER_DAY }),
  '12x5': every(['mon', 'tue', 'wed', 'thu', 'fri'], { start: 8 * 60, end: 20 * 60 }),
};

/**
 * "HH:MM" minutes, or undefined when out of range. Only 24:00 may pass midnight: it is the end of the day,
 * and ranges are checked for "ends after it starts" separately, so "24:00-..." is refused there.
 */
function minutesOf(hours: string, minutes: string): number | undefined {
  const h = Number(hours);
  const m = Number(minutes);
  if (m >= 60 || h > 24 || (h === 24 && m !== 0)) return undefined;
  return h * 60 + m;
}

/** Reads "09:00-17:00" into a span; a problem text (without key path) when it is not a usable range. */
export function parseTimeRange(text: unknown): OpenSpan | string {
  const shown = JSON.stringify(text) ?? String(text);
  const notRange = `${shown} is not a time range HH:MM-HH:MM (00:00 to 24:00)`;
  if (typeof text !== 'string') return notRange;
  const match = RANGE.exec(text);
  if (!match) return notRange;
  const start = minutesOf(match[1]!, match[2]!);
  const end = minutesOf(match[3]!, match[4]!);
  if (start === undefined || end === undefined) return notRange;
  if (end <= start) return `${shown} ends before or at its start`;
  return { start, end };
}

/** Sorts a day's spans and joins those that touch ("09:00-12:00", "12:00-17:00" is one span). */
function joinTouching(spans: OpenSpan[]): OpenSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const joined: OpenSpan[] = [];
  for (const span of sorted) {
    const last = joined[joined.length - 1];
    if (last && span.start <= last.end) joined[joined.length - 1] = { start: last.start, end: Math.max(last.end, span.end) };
    else joined.push(span);
  }
  return joined;
}

/** Reads one weekday's list of ranges, reporting each bad entry and each overlap. */
function parseDay(raw: unknown, keyPath: string, problems: string[]): OpenSpan[] {
  if (!Array.isArray(raw)) {
    problems.push(`${keyPath}: must be a list of time ranges such as ["09:00-17:00"] (an empty list or a missing day is closed)`);
    return [];
  }
  const read: Array<{ span: OpenSpan; index: number; text: string }> = [];
  raw.forEach((entry: unknown, index) => {
    const parsed = parseTimeRange(entry);
    if (typeof parsed === 'string') problems.push(`${keyPath}[${index}]: ${parsed}`);
    else read.push({ span: parsed, index, text: String(entry) });
  });
  // Overlaps are a mistake worth telling (which hours did they mean?); touching ranges are not.
  // Each range is compared with the one reaching furthest so far, so 09-17, 10-11, 12-13 reports both.
  const byStart = [...read].sort((a, b) => a.span.start - b.span.start);
  let reach = byStart[0];
  for (const later of byStart.slice(1)) {
    if (reach && later.span.start < reach.span.end) {
      const [first, second] = reach.index < later.index ? [reach, later] : [later, reach];
      problems.push(`${keyPath}[${second.index}]: "${second.text}" overlaps "${first.text}" (${keyPath}[${first.index}])`);
    }
    if (!reach || later.span.end > reach.span.end) reach = later;
  }
  return joinTouching(read.map((r) => r.span));
}

/**
 * Reads `hours`: a shorthand ("24x7", "12x5") or a table of weekday → ranges. A day not listed is closed.
 * Every problem is pushed with its key path; the returned table holds what could be read.
 */
export function parseWeeklyHours(raw: unknown, keyPath: string, problems: string[]): WeeklyHours {
  if (typeof raw === 'string') {
    const shorthand = HOURS_SHORTHANDS[raw.trim()];
    if (shorthand) return shorthand;
    problems.push(`${keyPath}: "${raw}" is not a known shorthand (24x7, 12x5); or give a table such as { mon: ["09:00-17:00"] }`);
    return WEEKDAYS.map(() => []);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${keyPath}: must be 24x7, 12x5 or a table of weekdays (mon..sun) to lists of "HH:MM-HH:MM"`);
    return WEEKDAYS.map(() => []);
  }
  const table = raw as Record<string, unknown>;
  for (const key of Object.keys(table)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) {
      problems.push(`${keyPath}.${key}: unknown weekday (use ${WEEKDAYS.join(', ')})`);
    }
  }
  // `sat:` with nothing after it reads as null in YAML: closed, like a day not listed.
  return WEEKDAYS.map((day) => (table[day] == null ? [] : parseDay(table[day], `${keyPath}.${day}`, problems)));
}

/** Total open minutes in one ordinary week (no holidays, no clock change). */
export function weeklyOpenMinutes(week: WeeklyHours): number {
  return week.reduce((sum, day) => sum + day.reduce((s, span) => s + span.end - span.start, 0), 0);
}
