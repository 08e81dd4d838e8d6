/**
 * Laws of on-call schedules, checked with fast-check on schedules with clock changes, wrapping windows,
 * both turn modes, several zones and overlapping overrides, at instants drawn near the clock changes often.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createSchedule, nextChange, parseSchedule, shifts, whoIsOnCall, type Schedule } from '../../src/domain/oncall-schedule.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RUNS = { numRuns: 300 };
const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((u) => b.includes(u));

/** Clock changes of 2024/2025 in the zones used here, to draw instants near them. */
const CHANGES = [
  '2024-03-10T08:00:00Z',
  '2024-11-03T07:00:00Z',
  '2025-03-09T08:00:00Z',
  '2025-11-02T07:00:00Z', // Chicago
  '2024-03-31T01:00:00Z',
  '2024-10-27T01:00:00Z',
  '2025-03-30T01:00:00Z',
  '2025-10-26T01:00:00Z', // Berlin
  '2024-04-06T16:00:00Z',
  '2024-10-05T16:00:00Z',
  '2025-04-05T16:00:00Z',
  '2025-10-04T16:00:00Z', // Sydney
].map(Date.parse);
const anyInstant = fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2025-12-31T00:00:00Z') });
const nearChange = fc.tuple(fc.constantFrom(...CHANGES), fc.integer({ min: -2 * DAY, max: 2 * DAY })).map(([c, d]) => c + d);
const instant = fc.oneof(anyInstant, nearChange);

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];
const SCHEDULES: Schedule[] = [
  createSchedule('issue', {
    zone: 'America/Chicago',
    layers: [{ users: ['agent1', 'agent2'], start: '2024-10-29T00:00', turn: '1 week', restrict: [{ days: weekdays, from: '09:00', to: '17:00' }] }],
    overrides: [{ user: 'agent3', from: '2024-11-05T06:00:00Z', to: '2024-11-05T18:00:00Z' }],
  }),
  createSchedule('three-layers', {
    zone: 'America/Chicago',
    layers: [
      { users: ['a1', ['a2', 'a3'], 'a1'], start: '2023-12-31T01:30', turn: '1 week' },
      {
        users: ['b1', 'b2', 'b3'],
        start: '2024-01-01T09:00',
        turn: '1 day',
        restrict: [{ days: weekdays, from: '09:00', to: '17:00' }],
        turns: 'restricted',
      },
      {
        zone: 'Europe/Berlin',
        users: ['c1', 'c2'],
        start: '2024-01-01T22:00',
        turn: '8 hours',
        restrict: [
          { from: '22:00', to: '06:00' },
          { days: ['sun'], from: '01:00', to: '03:30' },
        ],
      },
    ],
    overrides: [
      { user: 'o1', from: '2024-03-09T12:00:00Z', to: '2024-03-11T12:00:00Z' },
      { user: 'o2', from: '2024-03-10T00:00:00Z', to: '2024-03-10T10:00:00Z' },
      { user: 'o1', from: '2024-10-26T20:00:00Z', to: '2024-10-27T05:00:00Z' },
    ],
  }),
  createSchedule('sydney-hours', {
    zone: 'Australia/Sydney',
    layers: [
      { users: ['s1', 's2', 's3'], start: '2024-01-01T00:30', turn: '3 hours', restrict: [{ from: '20:00', to: '04:00' }], turns: 'restricted' },
      {
        users: ['t1', 't2'],
        start: '2024-01-02T02:00',
        turn: '2 days',
        restrict: [{ days: ['sat', 'sun'], from: '00:00', to: '24:00' }],
        zone: 'Asia/Singapore',
      },
    ],
  }),
  createSchedule('follow-the-sun', {
    zone: 'UTC',
    layers: [
      { zone: 'Asia/Singapore', users: ['sg1', 'sg2'], start: '2024-01-01T08:00', turn: '1 week', restrict: [{ from: '08:00', to: '16:00' }] },
      { zone: 'Europe/Berlin', users: ['eu1', 'eu2'], start: '2024-01-01T09:00', turn: '1 week', restrict: [{ from: '09:00', to: '17:00' }] },
      { zone: 'America/Chicago', users: ['us1', 'us2'], start: '2024-01-01T11:00', turn: '1 week', restrict: [{ from: '11:00', to: '19:00' }] },
    ],
  }),
];
const schedule = fc.constantFrom(...SCHEDULES);

/** A single layer around the clock with no overrides: a zone, a start that may or may not exist, a turn, a rotation. */
const plainLayer = fc
  .record({
    zone: fc.constantFrom('America/Chicago', 'Europe/Berlin', 'Australia/Sydney', 'UTC', 'Asia/Kolkata'),
    day: fc.integer({ min: 0, max: 700 }),
    minute: fc.integer({ min: 0, max: 1439 }),
    amount: fc.integer({ min: 1, max: 4 }),
    unit: fc.constantFrom('hours', 'days', 'weeks'),
    users: fc.array(fc.oneof(fc.constantFrom('u1', 'u2', 'u3'), fc.constant(['g1', 'g2'])), { minLength: 1, maxLength: 5 }),
  })
  .map((r) => {
    const start = DateTime.fromMillis(Date.parse('2024-01-01T00:00:00Z') + r.day * DAY + r.minute * 60_000, { zone: 'UTC' }).toFormat(
      "yyyy-MM-dd'T'HH:mm",
    );
    return {
      ...r,
      start,
      schedule: parseSchedule('p', { zone: r.zone, layers: [{ users: r.users, start, turn: `${r.amount} ${r.unit}` }] }).schedule,
    };
  });

/**
 * A layer with random windows (some wrapping midnight or the week's end) in a zone without clock changes,
 * where wall-clock minutes are instants plus a fixed offset, and an independent oracle: window membership
 * and "does a slot touch a window" checked minute by minute, turns counted slot by slot.
 */
const windowArb = fc
  .record({
    days: fc.option(fc.subarray(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], { minLength: 1 }), { nil: undefined }),
    from: fc.integer({ min: 0, max: 23 }),
    to: fc.integer({ min: 0, max: 24 }),
  })
  .filter((w) => w.from !== w.to);
const restrictedLayer = fc.record({
  zone: fc.constantFrom(['UTC', 0], ['Asia/Kolkata', 330]),
  startDay: fc.integer({ min: 0, max: 30 }),
  startMinute: fc.integer({ min: 0, max: 1439 }),
  amount: fc.integer({ min: 1, max: 3 }),
  unit: fc.constantFrom(['hours', 60], ['days', 1440], ['weeks', 10080]),
  size: fc.integer({ min: 1, max: 4 }),
  windows: fc.array(windowArb, { minLength: 1, maxLength: 3 }),
  turns: fc.constantFrom('elapsed', 'restricted'),
});
const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const pad = (n: number): string => String(n).padStart(2, '0');

describe('restrictions against a minute-by-minute oracle', () => {
  it('who is on call matches counting windows and slots by brute force, in both turn modes', () => {
    fc.assert(
      fc.property(restrictedLayer, fc.integer({ min: -DAY, max: 50 * DAY }), (r, offset) => {
        const [zone, offsetMinutes] = r.zone as [string, number];
        const [unit, unitMinutes] = r.unit as [string, number];
        const users = Array.from({ length: r.size }, (_, i) => `u${i}`);
        const startLocal = Date.parse('2024-01-01T00:00:00Z') / 60_000 + r.startDay * 1440 + r.startMinute; // wall-clock minutes
        const s = createSchedule('r', {
          zone,
          layers: [
            {
              users,
              start: new Date(startLocal * 60_000).toISOString().slice(0, 16),
              turn: `${r.amount} ${unit}`,
              restrict: r.windows.map((w) => ({ ...(w.days ? { days: w.days } : {}), from: `${pad(w.from)}:00`, to: `${pad(w.to)}:00` })),
              turns: r.turns,
            },
          ],
        });
        // Minute of the week (Monday 00:00 = 0) of a wall-clock minute; 1970-01-01 was a Thursday.
        const weekMinute = (m: number): number => (((m + 3 * 1440) % 10080) + 10080) % 10080;
        const open = (m: number): boolean =>
          r.windows.some((w) =>
            (w.days ?? DAY_KEYS).some((d) => {
              const opens = DAY_KEYS.indexOf(d) * 1440 + w.from * 60;
              const length = w.to > w.from ? (w.to - w.from) * 60 : (w.to + 24 - w.from) * 60;
              return (((weekMinute(m) - opens) % 10080) + 10080) % 10080 < length;
            }),
          );
        const local = startLocal + Math.floor(offset / 60_000); // whole minutes keep the oracle exact
        const t = (local - offsetMinutes) * 60_000;
        let expected: string[] = [];
        if (local >= startLocal && open(local)) {
          const slot = Math.floor((local - startLocal) / (r.turns === 'restricted' ? unitMinutes : unitMinutes * r.amount));
          let turn = slot;
          if (r.turns === 'restricted') {
            let counted = 0;
            for (let j = 0; j < slot; j++) {
              const first = startLocal + j * unitMinutes;
              for (let m = first; m < first + unitMinutes; m++)
                if (open(m)) {
                  counted++;
                  break;
                }
            }
            turn = Math.floor(counted / r.amount);
          }
          expected = [users[turn % users.length]!];
        }
        expect(whoIsOnCall(s, t)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});

describe('on-call laws', () => {
  it('without overrides or restrictions exactly one rotation entry is on call from the start on, nobody before', () => {
    fc.assert(
      fc.property(plainLayer, fc.integer({ min: -3 * DAY, max: 60 * DAY }), ({ schedule: s, users }, offset) => {
        fc.pre(s !== undefined); // a start inside a spring gap is refused, which the validation tests pin
        const t = s!.layers[0]!.startMs + offset;
        const now = whoIsOnCall(s!, t);
        if (offset < 0) expect(now).toEqual([]);
        else expect(users.some((entry) => sameSet(now, typeof entry === 'string' ? [entry] : entry))).toBe(true);
      }),
      RUNS,
    );
  });

  it('daily and weekly handoffs away from the change hours match luxon calendar arithmetic (turn k = start plus k turns)', () => {
    const daytime = plainLayer.filter((r) => r.unit !== 'hours' && r.minute >= 5 * 60 && r.schedule !== undefined);
    fc.assert(
      fc.property(daytime, fc.integer({ min: 0, max: 400 * DAY }), ({ schedule: s, zone, start, amount, unit }, offset) => {
        const first = DateTime.fromISO(start, { zone });
        const t = first.toMillis() + offset;
        const turnMs = amount * (unit === 'days' ? DAY : 7 * DAY);
        let k = Math.max(0, Math.floor(offset / turnMs) - 1);
        while (first.plus({ [unit]: amount * (k + 1) }).toMillis() <= t) k++;
        const layer = s!.layers[0]!;
        expect(whoIsOnCall(s!, t)).toBe(layer.entries[k % layer.entries.length]);
      }),
      RUNS,
    );
  });

  it('whoIsOnCall(t) is the people of the shift containing t, and nobody outside every shift', () => {
    fc.assert(
      fc.property(schedule, instant, fc.integer({ min: 0, max: 3 * DAY }), fc.integer({ min: 1, max: 3 * DAY }), (s, t, before, after) => {
        const list = shifts(s, t - before, t + after);
        const containing = list.find((shift) => shift.from <= t && t < shift.to);
        expect(whoIsOnCall(s, t)).toEqual(containing ? containing.users : []);
      }),
      RUNS,
    );
  });

  it('shifts are ordered, inside the range, non-empty, and touching shifts have different people', () => {
    fc.assert(
      fc.property(schedule, instant, fc.integer({ min: 1, max: 10 * DAY }), (s, from, length) => {
        const list = shifts(s, from, from + length);
        let end = from;
        for (const [i, shift] of list.entries()) {
          expect(shift.from).toBeGreaterThanOrEqual(end);
          expect(shift.to).toBeGreaterThan(shift.from);
          expect(shift.users.length).toBeGreaterThan(0);
          expect(sameSet(whoIsOnCall(s, shift.from), shift.users)).toBe(true);
          expect(sameSet(whoIsOnCall(s, shift.to - 1), shift.users)).toBe(true);
          if (i > 0 && list[i - 1]!.to === shift.from) expect(sameSet(list[i - 1]!.users, shift.users)).toBe(false);
          end = shift.to;
        }
        expect(end).toBeLessThanOrEqual(from + length);
      }),
      RUNS,
    );
  });

  it('nextChange: the answer holds until then and differs from then on', () => {
    fc.assert(
      fc.property(schedule, instant, fc.double({ min: 0, max: 1, noNaN: true }), (s, t, fraction) => {
        const change = nextChange(s, t, 30 * DAY);
        const now = whoIsOnCall(s, t);
        if (change === undefined) return; // nothing changes within the horizon: nothing to check
        expect(change).toBeGreaterThan(t);
        expect(sameSet(whoIsOnCall(s, t + Math.floor((change - t - 1) * fraction)), now)).toBe(true);
        expect(sameSet(whoIsOnCall(s, change - 1), now)).toBe(true);
        expect(sameSet(whoIsOnCall(s, change), now)).toBe(false);
      }),
      RUNS,
    );
  });
});
