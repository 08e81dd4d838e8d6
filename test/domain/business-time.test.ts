/**
 * Business-time arithmetic, pinned by hand-worked cases. Every expected instant below was worked out from the
 * zone rules written next to it (offsets, change dates), never by running the code under test.
 */
import { describe, expect, it } from 'vitest';
import { BUILT_IN_CALENDARS, createCalendar, type Calendar } from '../../src/domain/calendar.js';
import {
  addBusinessMinutes,
  addBusinessSeconds,
  businessMinutesBetween,
  businessSecondsBetween,
  isOpenAt,
  nextOpening,
  type Pause,
} from '../../src/domain/business-time.js';

const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test instant ${iso}`);
  return ms;
};
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const due = (cal: Calendar, start: string, minutes: number, pauses?: Pause[]): string => iso(addBusinessMinutes(cal, at(start), minutes, pauses));
const between = (cal: Calendar, from: string, to: string, pauses?: Pause[]): number => businessMinutesBetween(cal, at(from), at(to), pauses);
const pause = (start: string, end: string): Pause => ({ start: at(start), end: at(end) });

const nineToFive = { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] };
const office = (zone: string, holidays: string[] = []): Calendar => createCalendar(`office ${zone}`, { zone, hours: nineToFive, holidays });
const sundays = (zone: string, range: string[]): Calendar => createCalendar(`sundays ${zone}`, { zone, hours: { sun: range } });

const berlin = office('Europe/Berlin');
const newYork = office('America/New_York');
const chicago = office('America/Chicago');
const sydney = office('Australia/Sydney');
const utc = office('UTC');

describe('the contract examples', () => {
  it.each([
    [60, '2013-03-21T10:30:00Z'],
    [180, '2013-03-21T12:30:00Z'],
    [240, '2013-03-21T13:30:00Z'], // 09:30Z is 10:30 CET; 240 min later is 14:30 CET
  ])('Berlin office, Thursday 10:30 CET + %i min is due %s', (minutes, expected) => {
    expect(due(berlin, '2013-03-21T09:30:00Z', minutes)).toBe(expected);
  });

  it('New York office, Friday 16:00 EST + 120 min is due Monday 10:00 EDT (clocks sprang forward on Sunday)', () => {
    expect(due(newYork, '2024-03-08T21:00:00Z', 120)).toBe('2024-03-11T14:00:00Z');
  });

  it('UTC office, Friday at closing + 480 min is due Monday at closing, not Tuesday at opening', () => {
    expect(due(utc, '2024-06-07T17:00:00Z', 480)).toBe('2024-06-10T17:00:00Z');
  });

  it.each([
    [berlin, '2013-03-21T09:30:00Z', '2013-03-21T13:30:00Z', 240],
    [newYork, '2024-03-08T21:00:00Z', '2024-03-11T14:00:00Z', 120],
    [utc, '2024-06-07T17:00:00Z', '2024-06-10T17:00:00Z', 480],
  ])('between gives the budget back forwards and its negative backwards (%#)', (cal, from, to, minutes) => {
    expect(between(cal, from, to)).toBe(minutes);
    expect(between(cal, to, from)).toBe(-minutes);
  });
});

describe('a weekend with a clock change, Friday 16:00 local + 120 min → Monday 10:00 local', () => {
  it.each([
    ['Berlin spring (CET → CEST)', berlin, '2024-03-29T15:00:00Z', '2024-04-01T08:00:00Z'],
    ['Berlin autumn (CEST → CET)', berlin, '2024-10-25T14:00:00Z', '2024-10-28T09:00:00Z'],
    ['New York autumn (EDT → EST)', newYork, '2024-11-01T20:00:00Z', '2024-11-04T15:00:00Z'],
    ['Chicago spring (CST → CDT)', chicago, '2024-03-08T22:00:00Z', '2024-03-11T15:00:00Z'],
    ['Chicago autumn (CDT → CST)', chicago, '2024-11-01T21:00:00Z', '2024-11-04T16:00:00Z'],
    ['Sydney April, DST ends (AEDT → AEST)', sydney, '2024-04-05T05:00:00Z', '2024-04-08T00:00:00Z'],
    ['Sydney October, DST starts (AEST → AEDT)', sydney, '2024-10-04T06:00:00Z', '2024-10-06T23:00:00Z'],
  ])('%s', (_, cal, start, expected) => {
    expect(due(cal, start, 120)).toBe(expected);
    expect(between(cal, start, expected)).toBe(120);
  });
});

describe('a day open 00:00-24:00 lasts as long as the day really does', () => {
  // Counted from Saturday noon UTC to Monday noon UTC: only the Sunday is open.
  it.each([
    ['Europe/Berlin', '2024-03-30', '2024-04-01', 23],
    ['Europe/Berlin', '2024-10-26', '2024-10-28', 25],
    ['America/New_York', '2024-03-09', '2024-03-11', 23],
    ['America/Chicago', '2024-11-02', '2024-11-04', 25],
    ['Australia/Sydney', '2024-04-06', '2024-04-08', 25],
    ['Australia/Sydney', '2024-10-05', '2024-10-07', 23],
    ['Europe/Berlin', '2024-06-01', '2024-06-03', 24],
  ])('%s, from Saturday %s to Monday %s: %i hours', (zone, saturday, monday, hours) => {
    expect(between(sundays(zone, ['00:00-24:00']), `${saturday}T12:00:00Z`, `${monday}T12:00:00Z`)).toBe(hours * 60);
  });

  it('a 24-hour budget outlasts the 23-hour Sunday and finishes the next Sunday (Berlin, spring)', () => {
    // 2024-03-31 00:00 CET = 03-30T23:00Z to 24:00 CEST = 03-31T22:00Z is 23 h; then 2024-04-07 00:00 CEST = 04-06T22:00Z + 1 h.
    expect(due(sundays('Europe/Berlin', ['00:00-24:00']), '2024-03-30T12:00:00Z', 24 * 60)).toBe('2024-04-06T23:00:00Z');
  });

  it('a 24-hour budget ends inside the 25-hour Sunday, at 23:00 CET (Berlin, autumn)', () => {
    expect(due(sundays('Europe/Berlin', ['00:00-24:00']), '2024-10-26T12:00:00Z', 24 * 60)).toBe('2024-10-27T22:00:00Z');
  });

  it('24:00 falling into a midnight gap is the next 01:00 (Santiago, 2024-09-08 00:00 -04 → 01:00 -03)', () => {
    // 22:00 -04 = 02:00Z; 24:00 does not exist, moves on by the hour to 01:00 -03 = 04:00Z: two real hours.
    const santiago = createCalendar('santiago', { zone: 'America/Santiago', hours: { sat: ['22:00-24:00'] } });
    expect(between(santiago, '2024-09-07T12:00:00Z', '2024-09-09T12:00:00Z')).toBe(120);
    // 2024-04-07 00:00 -03 → 23:00 -04: 22:00 -03 = 01:00Z to 00:00 -04 = 04:00Z, three real hours.
    expect(between(santiago, '2024-04-06T12:00:00Z', '2024-04-08T12:00:00Z')).toBe(180);
  });
});

describe('open hours across the change time itself (Sunday 01:00-04:00 local)', () => {
  it.each([
    ['America/New_York', '2024-03-09', '2024-03-11', 120], // 01:00 EST = 06:00Z to 04:00 EDT = 08:00Z
    ['America/New_York', '2024-11-02', '2024-11-04', 240], // 01:00 is ambiguous: earlier, 01:00 EDT = 05:00Z; to 04:00 EST = 09:00Z
    ['America/Chicago', '2024-03-09', '2024-03-11', 120], // 01:00 CST = 07:00Z to 04:00 CDT = 09:00Z
    ['America/Chicago', '2024-11-02', '2024-11-04', 240], // 01:00 CDT = 06:00Z to 04:00 CST = 10:00Z
    ['Australia/Sydney', '2024-04-06', '2024-04-08', 240], // 01:00 AEDT = 04-06T14:00Z to 04:00 AEST = 18:00Z
    ['Australia/Sydney', '2024-10-05', '2024-10-07', 120], // 01:00 AEST = 10-05T15:00Z to 04:00 AEDT = 17:00Z
  ])('%s, from Saturday %s to Monday %s: %i min', (zone, saturday, monday, minutes) => {
    expect(between(sundays(zone, ['01:00-04:00']), `${saturday}T12:00:00Z`, `${monday}T12:00:00Z`)).toBe(minutes);
  });
});

describe('spring gap (Berlin 2024-03-31: 02:00 CET → 03:00 CEST, at 01:00Z)', () => {
  it('a span inside the gap moves forward by the gap: 02:15-02:45 opens 03:15-03:45 CEST', () => {
    const cal = sundays('Europe/Berlin', ['02:15-02:45', '04:00-05:00']);
    expect(due(cal, '2024-03-30T12:00:00Z', 1)).toBe('2024-03-31T01:16:00Z'); // 03:16 CEST
    expect(between(cal, '2024-03-30T12:00:00Z', '2024-04-01T12:00:00Z')).toBe(30 + 60);
  });

  it('a span the gap swallows (02:00-03:00 becomes 03:00-03:00) is dropped', () => {
    const cal = sundays('Europe/Berlin', ['02:00-03:00', '04:00-05:00']);
    expect(between(cal, '2024-03-30T12:00:00Z', '2024-04-01T12:00:00Z')).toBe(60);
    expect(due(cal, '2024-03-30T12:00:00Z', 1)).toBe('2024-03-31T02:01:00Z'); // 04:01 CEST
    // An ordinary Sunday keeps both hours: 01:00Z-02:00Z and 03:00Z-04:00Z.
    expect(between(cal, '2024-03-23T12:00:00Z', '2024-03-25T12:00:00Z')).toBe(120);
  });

  it('a span moved onto the next one is open once: 02:10-02:50 + 03:00-04:00 is 03:00-04:00 CEST', () => {
    const cal = sundays('Europe/Berlin', ['02:10-02:50', '03:00-04:00']);
    expect(between(cal, '2024-03-30T12:00:00Z', '2024-04-01T12:00:00Z')).toBe(60);
    expect(nextOpening(cal, at('2024-03-30T12:00:00Z'))).toBe(at('2024-03-31T01:00:00Z'));
  });

  it('a span ending in the gap ends an hour later on the wall clock: 01:00-02:30 is 01:00 CET-03:30 CEST', () => {
    const cal = sundays('Europe/Berlin', ['01:00-02:30']);
    expect(nextOpening(cal, at('2024-03-30T12:00:00Z'))).toBe(at('2024-03-31T00:00:00Z'));
    expect(between(cal, '2024-03-30T12:00:00Z', '2024-04-01T12:00:00Z')).toBe(90);
  });
});

describe('ambiguous autumn times are the earlier instant (Berlin 2024-10-27: 03:00 CEST → 02:00 CET, at 01:00Z)', () => {
  it('02:30-05:00 opens at 02:30 CEST = 00:30Z (luxon alone would say 01:30Z) and closes at 05:00 CET = 04:00Z', () => {
    const cal = sundays('Europe/Berlin', ['02:30-05:00']);
    expect(due(cal, '2024-10-26T12:00:00Z', 1)).toBe('2024-10-27T00:31:00Z');
    expect(between(cal, '2024-10-26T12:00:00Z', '2024-10-28T12:00:00Z')).toBe(210);
  });

  it('00:00-02:30 closes at the first 02:30 (CEST), 2.5 real hours', () => {
    expect(between(sundays('Europe/Berlin', ['00:00-02:30']), '2024-10-26T12:00:00Z', '2024-10-28T12:00:00Z')).toBe(150);
  });

  it('New York 01:30-03:00 on 2024-11-03: 01:30 EDT = 05:30Z to 03:00 EST = 08:00Z', () => {
    expect(between(sundays('America/New_York', ['01:30-03:00']), '2024-11-02T12:00:00Z', '2024-11-04T12:00:00Z')).toBe(150);
  });
});

describe('holidays are whole local dates', () => {
  const christmas = office('Europe/Berlin', ['2024-12-25', '2024-12-26', '2024-12-27', '2024-12-30']);

  it('a run of holidays around a weekend: Tuesday 16:00 CET + 120 min is due the next Tuesday 10:00 CET', () => {
    expect(due(christmas, '2024-12-24T15:00:00Z', 120)).toBe('2024-12-31T09:00:00Z');
    expect(between(christmas, '2024-12-24T15:00:00Z', '2024-12-31T09:00:00Z')).toBe(120);
  });

  it('a holiday on a Saturday changes nothing', () => {
    const saturdayHoliday = office('UTC', ['2024-06-08']);
    expect(due(saturdayHoliday, '2024-06-07T16:00:00Z', 120)).toBe('2024-06-10T10:00:00Z');
  });

  it('in the zone of the calendar: New York 24x7 closed on July 4th from 04:00Z to 04:00Z', () => {
    const cal = createCalendar('ny', { zone: 'America/New_York', hours: '24x7', holidays: ['2024-07-04'] });
    expect(between(cal, '2024-07-04T00:00:00Z', '2024-07-06T00:00:00Z')).toBe(4 * 60 + 20 * 60);
    expect(due(cal, '2024-07-04T03:00:00Z', 120)).toBe('2024-07-05T05:00:00Z');
  });

  it('in the zone of the calendar: Sydney Christmas is Wednesday local, Tuesday 16:00 AEDT + 120 → Thursday 10:00 AEDT', () => {
    expect(due(office('Australia/Sydney', ['2024-12-25']), '2024-12-24T05:00:00Z', 120)).toBe('2024-12-25T23:00:00Z');
  });
});

describe('pauses stop the clock', () => {
  // Monday 2024-06-03, UTC office 09:00-17:00.
  const pauses = [
    pause('2024-06-03T16:00:00Z', '2024-06-04T10:00:00Z'), // partly outside open hours
    pause('2024-06-03T10:30:00Z', '2024-06-03T11:30:00Z'),
    pause('2024-06-03T10:00:00Z', '2024-06-03T11:00:00Z'), // overlaps the one before, listed after it
    pause('2024-06-08T10:00:00Z', '2024-06-08T12:00:00Z'), // on a Saturday: nothing to stop
  ];

  it('overlapping, unsorted and partly outside hours: 60 + 270 min on Monday, 150 on Tuesday', () => {
    expect(due(utc, '2024-06-03T09:00:00Z', 480, pauses)).toBe('2024-06-04T12:30:00Z');
    expect(between(utc, '2024-06-03T09:00:00Z', '2024-06-04T12:30:00Z', pauses)).toBe(480);
    expect(between(utc, '2024-06-04T12:30:00Z', '2024-06-03T09:00:00Z', pauses)).toBe(-480);
  });

  it('a start inside a pause counts from its end', () => {
    expect(due(utc, '2024-06-03T10:15:00Z', 60, pauses)).toBe('2024-06-03T12:30:00Z');
    expect(between(utc, '2024-06-03T10:15:00Z', '2024-06-03T12:30:00Z', pauses)).toBe(60);
  });

  it('a budget running out as a pause begins is due when the pause begins', () => {
    expect(due(utc, '2024-06-03T09:00:00Z', 60, pauses)).toBe('2024-06-03T10:00:00Z');
  });

  it('an empty pause changes nothing; a pause ending before it starts is refused', () => {
    expect(due(utc, '2024-06-03T09:00:00Z', 120, [pause('2024-06-03T09:30:00Z', '2024-06-03T09:30:00Z')])).toBe('2024-06-03T11:00:00Z');
    expect(() => due(utc, '2024-06-03T09:00:00Z', 60, [pause('2024-06-03T10:00:00Z', '2024-06-03T09:00:00Z')])).toThrow(RangeError);
  });
});

describe('closing time, zero and the edges of open hours', () => {
  const lunch = createCalendar('lunch', { zone: 'Europe/Berlin', hours: { tue: ['09:00-12:00', '13:00-17:00'] } });

  it.each([
    [30, '2024-06-04T10:00:00Z'], // ends at 12:00 CEST, the lunch closing time
    [31, '2024-06-04T11:01:00Z'], // one minute after lunch
    [60, '2024-06-04T11:30:00Z'],
    [270, '2024-06-04T15:00:00Z'], // 30 before lunch + 240 after: 17:00 CEST, the day's closing time
    [271, '2024-06-11T07:01:00Z'], // next Tuesday 09:01 CEST
  ])('several spans a day: Tuesday 11:30 CEST + %i min is due %s', (minutes, expected) => {
    expect(due(lunch, '2024-06-04T09:30:00Z', minutes)).toBe(expected);
  });

  it('a full day from opening is due at closing', () => {
    expect(due(utc, '2024-06-03T09:00:00Z', 480)).toBe('2024-06-03T17:00:00Z');
  });

  it('zero minutes is due at the start, inside or outside open hours', () => {
    expect(due(utc, '2024-06-03T10:00:00Z', 0)).toBe('2024-06-03T10:00:00Z');
    expect(due(utc, '2024-06-08T10:00:00Z', 0)).toBe('2024-06-08T10:00:00Z');
    expect(between(utc, '2024-06-03T10:00:00Z', '2024-06-03T10:00:00Z')).toBe(0);
  });

  it('a start outside open hours counts from the next opening', () => {
    expect(due(utc, '2024-06-08T10:00:00Z', 1)).toBe('2024-06-10T09:01:00Z');
    expect(due(utc, '2024-06-03T05:00:00Z', 60)).toBe('2024-06-03T10:00:00Z');
  });

  it('opening is open, closing is not', () => {
    expect(isOpenAt(utc, at('2024-06-03T09:00:00Z'))).toBe(true);
    expect(isOpenAt(utc, at('2024-06-03T16:59:59.999Z'))).toBe(true);
    expect(isOpenAt(utc, at('2024-06-03T17:00:00Z'))).toBe(false);
    expect(iso(nextOpening(utc, at('2024-06-07T17:00:00Z')))).toBe('2024-06-10T09:00:00Z');
    expect(iso(nextOpening(utc, at('2024-06-07T12:34:56Z')))).toBe('2024-06-07T12:34:56Z');
  });

  it('negative, fractional-second and non-finite inputs are refused', () => {
    expect(() => addBusinessMinutes(utc, 0, -1)).toThrow(RangeError);
    expect(() => addBusinessSeconds(utc, 0, 1.5)).toThrow(RangeError);
    expect(() => addBusinessSeconds(utc, Number.NaN, 1)).toThrow(RangeError);
    expect(() => businessSecondsBetween(utc, 0, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('seconds are kept, milliseconds dropped', () => {
  it('a start 30 s before closing + 1 min is due 30 s after the next opening', () => {
    expect(due(utc, '2024-06-03T16:59:30Z', 1)).toBe('2024-06-04T09:00:30Z');
    expect(businessSecondsBetween(utc, at('2024-06-03T16:59:30Z'), at('2024-06-04T09:00:30Z'))).toBe(60);
  });

  it('milliseconds of the start are truncated to the second', () => {
    expect(due(utc, '2024-06-03T10:00:45.678Z', 1)).toBe('2024-06-03T10:01:45Z');
    expect(businessSecondsBetween(utc, at('2024-06-03T10:00:00.900Z'), at('2024-06-03T10:00:02.100Z'))).toBe(2);
  });

  it('seconds budgets: one second before closing + 1 s is closing; + 2 s is a second past the next opening', () => {
    expect(iso(addBusinessSeconds(utc, at('2024-06-03T16:59:59Z'), 1))).toBe('2024-06-03T17:00:00Z');
    expect(iso(addBusinessSeconds(utc, at('2024-06-03T16:59:59Z'), 2))).toBe('2024-06-04T09:00:01Z');
  });

  it('half a minute is thirty seconds; between in minutes can be a fraction', () => {
    expect(due(utc, '2024-06-03T10:00:00Z', 0.5)).toBe('2024-06-03T10:00:30Z');
    expect(between(utc, '2024-06-03T10:00:00Z', '2024-06-03T10:00:30Z')).toBe(0.5);
  });
});

describe('built-in calendars', () => {
  const twelveFive = BUILT_IN_CALENDARS['12x5']!;
  const always = BUILT_IN_CALENDARS['24x7']!;

  it('12x5: Friday 19:00 + 120 min is Monday 09:00; Saturday + 720 min is Monday 20:00 (closing)', () => {
    expect(due(twelveFive, '2024-06-07T19:00:00Z', 120)).toBe('2024-06-10T09:00:00Z');
    expect(due(twelveFive, '2024-06-08T12:00:00Z', 720)).toBe('2024-06-10T20:00:00Z');
    expect(between(twelveFive, '2024-06-07T00:00:00Z', '2024-06-14T00:00:00Z')).toBe(5 * 12 * 60);
  });

  it('24x7: 10000 min is 6 days 22 h 40 min of wall time', () => {
    expect(due(always, '2024-06-07T19:00:00Z', 10_000)).toBe('2024-06-14T17:40:00Z');
    expect(between(always, '2024-06-14T17:40:00Z', '2024-06-07T19:00:00Z')).toBe(-10_000);
  });
});

describe('huge budgets', () => {
  const busy = office('Europe/Berlin', ['2024-12-25', '2025-12-25', '2026-12-25', '2030-05-01']);

  it('ten business years finish quickly and measure back to the budget', () => {
    const budget = 10 * 52 * 40 * 60;
    const started = performance.now();
    const end = addBusinessMinutes(busy, at('2024-01-01T00:00:00Z'), budget);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(businessMinutesBetween(busy, at('2024-01-01T00:00:00Z'), end)).toBe(budget);
    expect(iso(end).slice(0, 4)).toBe('2033'); // 520 weeks from 2024-01-01, plus the few holidays
  });

  it('a budget over a century of open time is refused rather than walked', () => {
    expect(() => addBusinessMinutes(busy, 0, 101 * 52 * 40 * 60)).toThrow(RangeError);
  });
});
