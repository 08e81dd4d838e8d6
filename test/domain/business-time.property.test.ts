/**
 * Laws of business-time arithmetic, checked with fast-check on calendars with clock changes, holidays,
 * lunch breaks and spans that touch the change hours.
 *
 * Why add(add(t, a), b) = add(t, a + b) holds for every t here, open or not: a due time is the earliest
 * instant u with between(t, u) ≥ budget, and between is additive (between(t, v) = between(t, u) +
 * between(u, v) for t ≤ u ≤ v). So the v reached from u with b more is the first with a + b from t.
 * It would break for "0 minutes outside hours is the next opening" only if that rule also applied to the
 * inner add, which is why contracts of that kind normalise t first; ours keeps 0 → t and needs no such step.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_CALENDARS, createCalendar, type Calendar } from '../../src/domain/calendar.js';
import { addBusinessSeconds, businessSecondsBetween, isOpenAt, nextOpening, type Pause } from '../../src/domain/business-time.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const RUNS = { numRuns: 300 };

const CALENDARS: Calendar[] = [
  createCalendar('berlin-office', {
    zone: 'Europe/Berlin',
    hours: { mon: ['09:00-17:00'], tue: ['09:00-12:00', '13:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-15:00'] },
    holidays: ['2024-03-29', '2024-04-01', '2024-12-25', '2024-12-26', '2025-01-01', '2025-10-03'],
  }),
  createCalendar('new-york', { zone: 'America/New_York', hours: '12x5', holidays: ['2024-07-04', '2024-11-28', '2025-11-27'] }),
  createCalendar('sydney', {
    zone: 'Australia/Sydney',
    hours: { mon: ['08:30-12:00', '13:00-17:30'], thu: ['08:30-17:30'], sat: ['10:00-14:00'] },
    holidays: ['2024-04-25', '2024-12-25'],
  }),
  createCalendar('berlin-always', { zone: 'Europe/Berlin', hours: '24x7', holidays: ['2024-12-24'] }),
  // Spans that touch the change hours of both zones: gaps, ambiguous hours, 24:00, a lone Sunday.
  createCalendar('berlin-night', { zone: 'Europe/Berlin', hours: { sun: ['01:00-02:30', '02:45-03:15', '22:00-24:00'], wed: ['00:00-24:00'] } }),
  createCalendar('chicago-night', { zone: 'America/Chicago', hours: { sat: ['23:00-24:00'], sun: ['00:00-01:45', '01:50-03:00'] } }),
  BUILT_IN_CALENDARS['12x5']!,
];

/** Clock changes of 2024/2025 in the zones above: instants are drawn near them often. */
const CHANGES = [
  '2024-03-10T08:00:00Z',
  '2024-03-31T01:00:00Z',
  '2024-04-06T16:00:00Z',
  '2024-10-05T16:00:00Z',
  '2024-10-27T01:00:00Z',
  '2024-11-03T07:00:00Z',
  '2025-03-09T08:00:00Z',
  '2025-03-30T01:00:00Z',
].map(Date.parse);

const calendar = fc.constantFrom(...CALENDARS);
const anyInstant = fc.integer({ min: Date.parse('2023-12-01T00:00:00Z'), max: Date.parse('2025-12-31T00:00:00Z') });
const nearChange = fc.tuple(fc.constantFrom(...CHANGES), fc.integer({ min: -3 * DAY, max: 3 * DAY })).map(([c, d]) => c + d);
const instant = fc.oneof(anyInstant, nearChange);
/** Up to about two weeks of office hours, in seconds. */
const budget = fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 10 * 8 * 3600 }));
const pausesNear = (t: number) =>
  fc.array(
    fc
      .tuple(fc.integer({ min: -2 * DAY, max: 10 * DAY }), fc.integer({ min: 0, max: 3 * DAY }))
      .map(([from, length]): Pause => ({ start: t + from, end: t + from + length })),
    { maxLength: 4 },
  );
const withPauses = instant.chain((t) => pausesNear(t).map((pauses) => ({ t, pauses })));

describe('business-time laws', () => {
  it('adding a then b is adding a + b, with or without pauses', () => {
    fc.assert(
      fc.property(calendar, withPauses, budget, budget, fc.boolean(), (cal, { t, pauses }, a, b, paused) => {
        const p = paused ? pauses : [];
        expect(addBusinessSeconds(cal, addBusinessSeconds(cal, t, a, p), b, p)).toBe(addBusinessSeconds(cal, t, a + b, p));
      }),
      RUNS,
    );
  });

  it('between(t, add(t, s)) is s, with or without pauses', () => {
    fc.assert(
      fc.property(calendar, withPauses, budget, fc.boolean(), (cal, { t, pauses }, s, paused) => {
        const p = paused ? pauses : [];
        expect(businessSecondsBetween(cal, t, addBusinessSeconds(cal, t, s, p), p)).toBe(s);
      }),
      RUNS,
    );
  });

  it('due times never decrease as the budget grows, and are whole seconds', () => {
    fc.assert(
      fc.property(calendar, withPauses, budget, budget, (cal, { t, pauses }, a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        const early = addBusinessSeconds(cal, t, small, pauses);
        expect(early).toBeLessThanOrEqual(addBusinessSeconds(cal, t, large, pauses));
        expect(early % 1000).toBe(0);
      }),
      RUNS,
    );
  });

  it('a positive budget is due at the end of open time: open just before it, never before the next opening', () => {
    fc.assert(
      fc.property(
        calendar,
        instant,
        budget.filter((s) => s > 0),
        (cal, t, s) => {
          const due = addBusinessSeconds(cal, t, s);
          expect(isOpenAt(cal, due - 1000)).toBe(true);
          expect(due).toBeGreaterThanOrEqual(nextOpening(cal, t) + s * 1000);
        },
      ),
      RUNS,
    );
  });

  it('between is antisymmetric, additive, and never more than the wall time', () => {
    fc.assert(
      fc.property(calendar, instant, instant, instant, (cal, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
        const ab = businessSecondsBetween(cal, a, b);
        expect(businessSecondsBetween(cal, b, a) + ab).toBe(0);
        expect(businessSecondsBetween(cal, a, c)).toBe(ab + businessSecondsBetween(cal, b, c));
        expect(ab).toBeLessThanOrEqual(Math.ceil((b - a) / 1000) + 1);
      }),
      RUNS,
    );
  });

  it('pauses only ever take time away', () => {
    fc.assert(
      fc.property(calendar, withPauses, fc.integer({ min: 0, max: 14 * DAY }), (cal, { t, pauses }, span) => {
        expect(businessSecondsBetween(cal, t, t + span, pauses)).toBeLessThanOrEqual(businessSecondsBetween(cal, t, t + span));
      }),
      RUNS,
    );
  });

  it('away from clock changes, open means the local wall clock is inside a span on a non-holiday (checked with luxon)', () => {
    const steadyInstant = anyInstant.filter((t) => CHANGES.every((c) => Math.abs(t - c) > 2 * DAY));
    fc.assert(
      fc.property(calendar, steadyInstant, (cal, t) => {
        const local = DateTime.fromMillis(t, { zone: cal.zone });
        const minute = local.hour * 60 + local.minute;
        const holiday = cal.holidays.includes(local.toISODate()!);
        const spans = cal.week[local.weekday - 1]!;
        const open = !holiday && spans.some((s) => s.start <= minute && minute < s.end);
        expect(isOpenAt(cal, t)).toBe(open);
      }),
      { numRuns: 500 },
    );
  });

  it('one hour of wall time on a 24x7 calendar is one hour of business time, clock change or not', () => {
    const always = CALENDARS[3]!; // its one holiday (Christmas Eve) is far from every clock change
    fc.assert(
      fc.property(nearChange, (t) => {
        expect(businessSecondsBetween(always, t, t + HOUR)).toBe(3600);
      }),
      RUNS,
    );
  });
});
