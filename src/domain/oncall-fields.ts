/**
 * Readers for the single values of the `schedules` config section: zone, start, turn, restriction
 * windows, instants. Each pushes a problem (with its key path) for anything doubtful and returns
 * undefined; nothing is clamped or guessed.
 */
import { DateTime, IANAZone } from 'luxon';
import type { Turn, TurnUnit } from './oncall-layer.js';
import type { RestrictWindow } from './oncall-windows.js';
import { DAY_MS, MINUTE_MS, zoneClock } from './oncall-zone.js';

const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const WINDOW_KEYS = ['days', 'from', 'to'];
const UNITS: Readonly<Record<string, TurnUnit>> = {
  h: 'hours',
  hour: 'hours',
  hours: 'hours',
  d: 'days',
  day: 'days',
  days: 'days',
  w: 'weeks',
  week: 'weeks',
  weeks: 'weeks',
};
/** A turn longer than this (~19 years) is a typo; refusing it keeps the arithmetic far from overflow. */
const MAX_TURN_WEEKS = 1_000;

const shown = (raw: unknown): string => (raw instanceof Date ? raw.toISOString() : (JSON.stringify(raw) ?? String(raw)));

/** Whether `raw` is a table (a YAML mapping). */
export function isTable(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !(raw instanceof Date);
}

/** Reports each key of `table` that is not in `known`. */
export function checkKeys(table: Record<string, unknown>, known: readonly string[], keyPath: string, problems: string[]): void {
  for (const key of Object.keys(table)) {
    if (!known.includes(key)) problems.push(`${keyPath}.${key}: unknown key (expected ${known.join(', ')})`);
  }
}

/** An IANA zone name; `required` false lets a missing value through as undefined without a problem. */
export function readZone(raw: unknown, keyPath: string, problems: string[], required: boolean): string | undefined {
  if (raw === undefined || raw === null || raw === '') {
    if (required) problems.push(`${keyPath}: missing; give an IANA time zone such as America/Chicago or UTC`);
    return undefined;
  }
  if (typeof raw !== 'string' || !IANAZone.isValidZone(raw)) {
    problems.push(`${keyPath}: ${shown(raw)} is not a known IANA time zone (such as America/Chicago or UTC)`);
    return undefined;
  }
  return raw;
}

/** "HH:MM" as minutes after midnight; "24:00" only where `allowEnd`. */
function readClockTime(raw: unknown, allowEnd: boolean): number | undefined {
  if (typeof raw !== 'string') return undefined;
  const match = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(raw);
  if (!match) return undefined;
  const [h, m] = [Number(match[1]), Number(match[2])];
  if (m >= 60 || h > 24 || (h === 24 && (m !== 0 || !allowEnd))) return undefined;
  return h * 60 + m;
}

/**
 * `start`: a local wall-clock time "YYYY-MM-DDTHH:MM" in `zone`, as a local day number and minute.
 * A time the zone skips (spring forward) is refused: the first handoff would not happen when written.
 */
export function readStart(raw: unknown, zone: string | undefined, keyPath: string, problems: string[]): { day: number; minute: number } | undefined {
  const example = 'a local time "YYYY-MM-DDTHH:MM" such as "2024-10-29T09:00" (quoted, no offset: it is read in the zone)';
  if (raw === undefined || raw === null) return (problems.push(`${keyPath}: missing; give ${example}`), undefined);
  const match = typeof raw === 'string' ? /^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::00)?\s*$/.exec(raw) : null;
  if (!match) return (problems.push(`${keyPath}: ${shown(raw)} is not ${example}`), undefined);
  const [year, month, date, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const check = new Date(Date.UTC(year, month - 1, date));
  const real = check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === date;
  if (!real || hour > 23 || minute > 59) return (problems.push(`${keyPath}: ${shown(raw)} is not a real date and time`), undefined);
  const day = Math.floor(check.getTime() / DAY_MS);
  const start = { day, minute: hour * 60 + minute };
  if (zone === undefined) return start; // the zone's own problem is already reported
  const clock = zoneClock(zone);
  const localMs = day * DAY_MS + start.minute * MINUTE_MS;
  if (!clock.exists(localMs)) {
    const moved = DateTime.fromMillis(clock.toInstant(localMs), { zone }).toFormat('HH:mm');
    problems.push(
      `${keyPath}: ${shown(raw)} does not exist in ${zone} (the clocks skip it that night, it would become ${moved}); ` +
        'pick a time outside the gap',
    );
    return undefined;
  }
  return start;
}

/** `turn`: "N hours | N days | N weeks" (also 1 hour, 2d, 1w), N a whole number ≥ 1. */
export function readTurn(raw: unknown, keyPath: string, problems: string[]): Turn | undefined {
  const usage = 'give a whole number of hours, days or weeks above zero, such as "1 week" or "12 hours"';
  if (raw === undefined || raw === null) return (problems.push(`${keyPath}: missing; ${usage}`), undefined);
  const match = typeof raw === 'string' ? /^\s*(\d+)\s*([a-z]+)\s*$/i.exec(raw) : null;
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || !unit) return (problems.push(`${keyPath}: ${shown(raw)} is not a turn length; ${usage}`), undefined);
  const amount = Number(match[1]);
  if (amount === 0) return (problems.push(`${keyPath}: ${shown(raw)} is no time at all; ${usage}`), undefined);
  const weeks = unit === 'weeks' ? amount : unit === 'days' ? amount / 7 : amount / 168;
  if (weeks > MAX_TURN_WEEKS) return (problems.push(`${keyPath}: ${shown(raw)} is longer than ${MAX_TURN_WEEKS} weeks; is it a typo?`), undefined);
  return { amount, unit };
}

function readDays(raw: unknown, keyPath: string, problems: string[]): number[] | undefined {
  if (raw === undefined || raw === null) return [0, 1, 2, 3, 4, 5, 6];
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push(`${keyPath}: must be a non-empty list of weekdays such as [mon, tue, wed, thu, fri] (leave it out for every day)`);
    return undefined;
  }
  const days = new Set<number>();
  let ok = true;
  raw.forEach((entry: unknown, i) => {
    const day = typeof entry === 'string' ? (WEEKDAY_KEYS as readonly string[]).indexOf(entry.trim().toLowerCase()) : -1;
    if (day < 0) {
      problems.push(`${keyPath}[${i}]: ${shown(entry)} is not a weekday (${WEEKDAY_KEYS.join(', ')})`);
      ok = false;
    } else days.add(day);
  });
  return ok ? [...days].sort((a, b) => a - b) : undefined;
}

/**
 * `restrict`: a list of `{ days?: [mon..sun], from: "HH:MM", to: "HH:MM" }`. A window without days
 * applies every day; `to` at or before `from` wraps past midnight, except that equal times are refused
 * (a window that ends where it starts says nothing clear: no time, or all day?).
 */
export function readWindows(raw: unknown, keyPath: string, problems: string[]): RestrictWindow[] | undefined {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push(
      `${keyPath}: must be a non-empty list of windows such as [{ days: [mon, fri], from: "09:00", to: "17:00" }] (leave it out for around the clock)`,
    );
    return undefined;
  }
  const windows: RestrictWindow[] = [];
  let ok = true;
  raw.forEach((entry: unknown, i) => {
    const path = `${keyPath}[${i}]`;
    if (!isTable(entry)) {
      problems.push(`${path}: must be a window such as { days: [mon, tue], from: "09:00", to: "17:00" }`);
      ok = false;
      return;
    }
    const before = problems.length;
    checkKeys(entry, WINDOW_KEYS, path, problems);
    const days = readDays(entry.days, `${path}.days`, problems);
    const from = readClockTime(entry.from, false);
    const to = readClockTime(entry.to, true);
    const what = (raw: unknown) => (raw === undefined || raw === null ? 'missing; give' : `${shown(raw)} is not`);
    if (from === undefined) problems.push(`${path}.from: ${what(entry.from)} a time of day "HH:MM" (00:00 to 23:59)`);
    if (to === undefined) problems.push(`${path}.to: ${what(entry.to)} a time of day "HH:MM" (00:00 to 24:00)`);
    if (from !== undefined && to !== undefined && to === from) {
      problems.push(`${path}: ends where it starts (from ${shown(entry.from)} to ${shown(entry.to)}); for all day use from "00:00" to "24:00"`);
    }
    if (problems.length > before || days === undefined || from === undefined || to === undefined) ok = false;
    else windows.push({ days, from, to: to === 1440 && from === 0 ? 1440 : to % 1440 });
  });
  return ok ? windows : undefined;
}

/** An instant with its offset ("2024-11-05T06:00:00Z", "...+01:00"), or a Date from a YAML 1.1 reader. */
export function readInstant(raw: unknown, keyPath: string, problems: string[]): number | undefined {
  if (raw instanceof Date && !Number.isNaN(raw.getTime())) return raw.getTime();
  const withOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/i;
  const parsed = typeof raw === 'string' && withOffset.test(raw.trim()) ? DateTime.fromISO(raw.trim(), { setZone: true }) : undefined;
  if (!parsed?.isValid) {
    problems.push(`${keyPath}: ${shown(raw)} is not an instant with its offset, such as "2024-11-05T06:00:00Z" or "2024-11-05T00:00:00-06:00"`);
    return undefined;
  }
  return parsed.toMillis();
}
