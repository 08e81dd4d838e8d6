import { describe, expect, it } from 'vitest';
import { BUILT_IN_CALENDARS, createCalendar, parseCalendar, parseCalendars } from '../../src/domain/calendar.js';

const office = { mon: ['09:00-17:00'], tue: ['09:00-12:00', '13:00-17:00'], wed: ['09:00-17:00'] };

/** The problems config reports for one calendar definition named `desk`. */
function problemsOf(raw: unknown): string[] {
  return parseCalendars({ desk: raw }).problems;
}

describe('parseCalendars, given the example config', () => {
  const { calendars, problems } = parseCalendars({
    'berlin-office': { zone: 'Europe/Berlin', hours: office, holidays: ['2024-12-25', '2024-12-26'] },
    always: { zone: 'UTC', hours: '24x7' },
  });

  it('reads it without problems', () => {
    expect(problems).toEqual([]);
  });

  it('prepares weekly minute spans, Monday first, joining nothing that does not touch', () => {
    const berlin = calendars.get('berlin-office')!;
    expect(berlin.zone).toBe('Europe/Berlin');
    expect(berlin.week[0]).toEqual([{ start: 540, end: 1020 }]);
    expect(berlin.week[1]).toEqual([
      { start: 540, end: 720 },
      { start: 780, end: 1020 },
    ]);
    expect(berlin.week[3]).toEqual([]); // thursday not listed: closed
    expect(berlin.weeklyOpenMinutes).toBe(8 * 60 + 7 * 60 + 8 * 60);
    expect(berlin.holidays).toEqual(['2024-12-25', '2024-12-26']);
  });

  it('expands the 24x7 shorthand to whole days', () => {
    const always = calendars.get('always')!;
    expect(always.week.every((day) => day.length === 1 && day[0]!.start === 0 && day[0]!.end === 1440)).toBe(true);
    expect(always.weeklyOpenMinutes).toBe(7 * 1440);
  });

  it('offers the built-in 24x7 and 12x5 calendars next to configured ones', () => {
    expect(calendars.get('24x7')).toBe(BUILT_IN_CALENDARS['24x7']);
    expect(calendars.get('12x5')).toBe(BUILT_IN_CALENDARS['12x5']);
  });
});

describe('built-in calendars', () => {
  it('12x5 is 08:00-20:00 Monday to Friday in UTC', () => {
    const cal = BUILT_IN_CALENDARS['12x5']!;
    expect(cal.zone).toBe('UTC');
    expect(cal.week.slice(0, 5).every((d) => d.length === 1 && d[0]!.start === 480 && d[0]!.end === 1200)).toBe(true);
    expect(cal.week[5]).toEqual([]);
    expect(cal.week[6]).toEqual([]);
  });

  it('a config calendar of the same name replaces a built-in', () => {
    const { calendars } = parseCalendars({ '12x5': { zone: 'Europe/Berlin', hours: '12x5' } });
    expect(calendars.get('12x5')!.zone).toBe('Europe/Berlin');
  });
});

describe('parseCalendar accepts', () => {
  it('touching ranges, joined into one span', () => {
    const cal = createCalendar('c', { zone: 'UTC', hours: { mon: ['09:00-12:00', '12:00-17:00'] } });
    expect(cal.week[0]).toEqual([{ start: 540, end: 1020 }]);
  });

  it('ranges given out of order, sorted', () => {
    const cal = createCalendar('c', { zone: 'UTC', hours: { fri: ['13:00-17:00', '08:00-12:00'] } });
    expect(cal.week[4]).toEqual([
      { start: 480, end: 720 },
      { start: 780, end: 1020 },
    ]);
  });

  it('24:00 as an end and a day left empty in YAML (null)', () => {
    const cal = createCalendar('c', { zone: 'UTC', hours: { sat: ['00:00-24:00'], sun: null } });
    expect(cal.week[5]).toEqual([{ start: 0, end: 1440 }]);
    expect(cal.week[6]).toEqual([]);
  });

  it('a holiday read by a YAML 1.1 reader as a Date at UTC midnight', () => {
    const cal = createCalendar('c', { zone: 'UTC', hours: '12x5', holidays: [new Date('2024-12-25T00:00:00Z')] });
    expect(cal.holidays).toEqual(['2024-12-25']);
  });

  it('a leap day in a leap year', () => {
    expect(parseCalendar('c', { zone: 'UTC', hours: '12x5', holidays: ['2024-02-29'] }).problems).toEqual([]);
  });
});

describe('parseCalendars rejects, naming the key path', () => {
  it('a range past 24:00', () => {
    expect(problemsOf({ zone: 'UTC', hours: { tue: ['09:00-12:00', '25:00-26:00'] } })).toEqual([
      'calendars.desk.hours.tue[1]: "25:00-26:00" is not a time range HH:MM-HH:MM (00:00 to 24:00)',
    ]);
  });

  it('the exact message of the example key path', () => {
    const { problems } = parseCalendars({ 'berlin-office': { zone: 'Europe/Berlin', hours: { tue: ['09:00-12:00', '25:00-26:00'] } } });
    expect(problems).toEqual(['calendars.berlin-office.hours.tue[1]: "25:00-26:00" is not a time range HH:MM-HH:MM (00:00 to 24:00)']);
  });

  it('minutes of 60 or more, and 24:30', () => {
    expect(problemsOf({ zone: 'UTC', hours: { mon: ['09:60-17:00', '18:00-24:30'] } })).toEqual([
      'calendars.desk.hours.mon[0]: "09:60-17:00" is not a time range HH:MM-HH:MM (00:00 to 24:00)',
      'calendars.desk.hours.mon[1]: "18:00-24:30" is not a time range HH:MM-HH:MM (00:00 to 24:00)',
    ]);
  });

  it('text that is not a range at all, and a number', () => {
    expect(problemsOf({ zone: 'UTC', hours: { mon: ['9 to 5', 9] } })).toEqual([
      'calendars.desk.hours.mon[0]: "9 to 5" is not a time range HH:MM-HH:MM (00:00 to 24:00)',
      'calendars.desk.hours.mon[1]: 9 is not a time range HH:MM-HH:MM (00:00 to 24:00)',
    ]);
  });

  it('a range that ends before or at its start (no overnight wrap is guessed)', () => {
    expect(problemsOf({ zone: 'UTC', hours: { wed: ['17:00-09:00', '10:00-10:00'] } })).toEqual([
      'calendars.desk.hours.wed[0]: "17:00-09:00" ends before or at its start',
      'calendars.desk.hours.wed[1]: "10:00-10:00" ends before or at its start',
    ]);
  });

  it('overlapping ranges in one day', () => {
    expect(problemsOf({ zone: 'UTC', hours: { thu: ['09:00-12:00', '13:00-17:00', '11:00-14:00'] } })).toEqual([
      'calendars.desk.hours.thu[2]: "11:00-14:00" overlaps "09:00-12:00" (calendars.desk.hours.thu[0])',
      'calendars.desk.hours.thu[2]: "11:00-14:00" overlaps "13:00-17:00" (calendars.desk.hours.thu[1])',
    ]);
  });

  it('a range inside a longer one, even with another range in between', () => {
    expect(problemsOf({ zone: 'UTC', hours: { fri: ['09:00-17:00', '10:00-11:00', '12:00-13:00'] } })).toEqual([
      'calendars.desk.hours.fri[1]: "10:00-11:00" overlaps "09:00-17:00" (calendars.desk.hours.fri[0])',
      'calendars.desk.hours.fri[2]: "12:00-13:00" overlaps "09:00-17:00" (calendars.desk.hours.fri[0])',
    ]);
  });

  it('an unknown weekday key', () => {
    expect(problemsOf({ zone: 'UTC', hours: { mon: ['09:00-17:00'], monday: ['09:00-17:00'] } })).toEqual([
      'calendars.desk.hours.monday: unknown weekday (use mon, tue, wed, thu, fri, sat, sun)',
    ]);
  });

  it('a day that is not a list', () => {
    expect(problemsOf({ zone: 'UTC', hours: { mon: '09:00-17:00' } })[0]).toMatch(/^calendars\.desk\.hours\.mon: must be a list/);
  });

  it('an unknown shorthand', () => {
    expect(problemsOf({ zone: 'UTC', hours: '9x5' })[0]).toMatch(/^calendars\.desk\.hours: "9x5" is not a known shorthand/);
  });

  it('a week with no open time', () => {
    expect(problemsOf({ zone: 'UTC', hours: { mon: [], sat: null } })).toEqual([
      'calendars.desk.hours: no open time in the whole week; a calendar must be open at some point',
    ]);
  });

  it('an unknown IANA zone', () => {
    expect(problemsOf({ zone: 'Mars/Olympus_Mons', hours: '24x7' })).toEqual([
      'calendars.desk.zone: "Mars/Olympus_Mons" is not a known IANA time zone (such as Europe/Berlin or UTC)',
    ]);
  });

  it('a missing zone and missing hours', () => {
    expect(problemsOf({})).toEqual([
      'calendars.desk.zone: missing; give an IANA time zone such as Europe/Berlin or UTC',
      'calendars.desk.hours: missing; give 24x7, 12x5 or a table such as { mon: ["09:00-17:00"] }',
    ]);
  });

  it('holidays that are not real YYYY-MM-DD dates', () => {
    expect(problemsOf({ zone: 'UTC', hours: '12x5', holidays: ['2024-02-30', '2023-02-29', '2024-13-01', '25.12.2024', 20241225] })).toEqual([
      'calendars.desk.holidays[0]: "2024-02-30" is not a valid date YYYY-MM-DD',
      'calendars.desk.holidays[1]: "2023-02-29" is not a valid date YYYY-MM-DD',
      'calendars.desk.holidays[2]: "2024-13-01" is not a valid date YYYY-MM-DD',
      'calendars.desk.holidays[3]: "25.12.2024" is not a valid date YYYY-MM-DD',
      'calendars.desk.holidays[4]: 20241225 is not a valid date YYYY-MM-DD',
    ]);
  });

  it('an unknown key (a typo would otherwise drop the holidays silently)', () => {
    expect(problemsOf({ zone: 'UTC', hours: '12x5', holiday: ['2024-12-25'] })).toEqual([
      'calendars.desk.holiday: unknown key (expected zone, hours, holidays)',
    ]);
  });

  it('every problem at once, across calendars, and keeps the good ones', () => {
    const { calendars, problems } = parseCalendars({
      good: { zone: 'UTC', hours: '12x5' },
      bad: { zone: 'Nowhere/Land', hours: { tue: ['25:00-26:00'], funday: [] }, holidays: ['2024-02-30'] },
    });
    expect(problems).toEqual([
      'calendars.bad.zone: "Nowhere/Land" is not a known IANA time zone (such as Europe/Berlin or UTC)',
      'calendars.bad.hours.funday: unknown weekday (use mon, tue, wed, thu, fri, sat, sun)',
      'calendars.bad.hours.tue[0]: "25:00-26:00" is not a time range HH:MM-HH:MM (00:00 to 24:00)',
      'calendars.bad.holidays[0]: "2024-02-30" is not a valid date YYYY-MM-DD',
    ]);
    expect(calendars.has('good')).toBe(true);
    expect(calendars.has('bad')).toBe(false);
  });

  it('uses the key path it is given', () => {
    expect(parseCalendars({ x: { zone: 'UTC' } }, 'sla.calendars').problems[0]).toMatch(/^sla\.calendars\.x\.hours: missing/);
    expect(parseCalendars(['not', 'a', 'table']).problems).toEqual(['calendars: must be a table of calendar names to { zone, hours, holidays }']);
  });

  it('createCalendar throws listing the problems', () => {
    expect(() => createCalendar('c', { zone: 'UTC', hours: { mon: ['25:00-26:00'] } })).toThrow(/hours\.mon\[0\]/);
  });
});
