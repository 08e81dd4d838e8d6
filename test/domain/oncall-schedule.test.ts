/**
 * Who is on call, pinned by hand-worked cases. Every expected instant was worked out from the zone rules
 * written next to it (offsets, change dates), never by running the code under test.
 *
 * Zone facts used: America/Chicago CDT -5 / CST -6, changes 2024-03-10 02:00→03:00 and 2024-11-03 02:00→01:00.
 * Asia/Singapore +8, Africa/Lagos +1 and America/Bogota -5 have no clock changes. More clock changes: oncall-dst.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createSchedule, nextChange, nextOnCall, shifts, whoIsOnCall, type Schedule } from '../../src/domain/oncall-schedule.js';

const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test instant ${iso}`);
  return ms;
};
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z'));
const who = (schedule: Schedule, instant: string): readonly string[] => whoIsOnCall(schedule, at(instant));
const listShifts = (schedule: Schedule, from: string, to: string): string[] =>
  shifts(schedule, at(from), at(to)).map((s) => `${s.users.join('+')} ${iso(s.from)} → ${iso(s.to)}`);
const oneLayer = (zone: string, layer: Record<string, unknown>, overrides: unknown[] = []): Schedule =>
  createSchedule(`test ${zone}`, { zone, layers: [layer], overrides });

/** The schedule of issue 6, optionally without its restriction and override. */
const issueSchedule = (withRestrict: boolean, withOverride: boolean): Schedule =>
  createSchedule('l2-primary', {
    zone: 'America/Chicago',
    layers: [
      {
        name: 'weekly',
        users: ['agent1', 'agent2'],
        start: '2024-10-29T00:00',
        turn: '1 week',
        ...(withRestrict ? { restrict: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }] } : {}),
        turns: 'elapsed',
      },
    ],
    overrides: withOverride ? [{ user: 'agent3', from: '2024-11-05T06:00:00Z', to: '2024-11-05T18:00:00Z' }] : [],
  });

describe('the issue examples', () => {
  const plain = issueSchedule(false, false);
  it.each([
    ['2024-11-05T05:30:00Z', ['agent1']], // Monday 23:30 CST: the first week lasts until Tuesday 00:00 CST = 06:00Z (169 h)
    ['2024-11-05T06:00:00Z', ['agent2']],
    ['2024-10-29T05:00:00Z', ['agent1']], // the first handoff, Tuesday 00:00 CDT
    ['2024-10-29T04:59:59Z', []], // before the layer starts
    ['2024-11-12T05:59:59Z', ['agent2']], // CST all week: 168 h
    ['2024-11-12T06:00:00Z', ['agent1']],
  ])('without restrict and override, at %s: %j', (instant, expected) => {
    expect(who(plain, instant)).toEqual(expected);
  });

  const stacked = createSchedule('stacked', {
    zone: 'UTC',
    layers: [
      { users: ['agent1'], start: '2024-01-01T00:00', turn: '1 day', restrict: [{ from: '08:00', to: '11:00' }] },
      { users: ['agent2'], start: '2024-01-01T00:00', turn: '1 day', restrict: [{ from: '09:00', to: '11:00' }] },
    ],
  });
  it.each([
    ['10:00', ['agent2']],
    ['08:00', ['agent1']],
    ['12:00', []],
    ['11:00', []], // a window excludes its end
    ['09:00', ['agent2']],
  ])('layer 1 agent1 08-11, layer 2 agent2 09-11 (UTC): at %s %j', (time, expected) => {
    expect(who(stacked, `2024-06-12T${time}:00Z`)).toEqual(expected);
  });
});

describe('restrictions', () => {
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];
  const office = (turns: string) =>
    oneLayer('UTC', {
      users: ['a', 'b', 'c'],
      start: '2024-06-03T00:00',
      turn: '1 day',
      restrict: [{ days: weekdays, from: '09:00', to: '17:00' }],
      turns,
    });
  it.each([
    // 2024-06-03 is a Monday. Elapsed: turn k is day k, weekends hidden. Restricted: only Monday-Friday count.
    ['2024-06-03T08:59:00Z', [], []],
    ['2024-06-03T09:00:00Z', ['a'], ['a']],
    ['2024-06-03T17:00:00Z', [], []],
    ['2024-06-07T10:00:00Z', ['b'], ['b']], // Friday, turn 4
    ['2024-06-08T10:00:00Z', [], []], // Saturday
    ['2024-06-10T10:00:00Z', ['b'], ['c']], // Monday: elapsed turn 7 → b; restricted 5th counted day → c
    ['2024-06-11T10:00:00Z', ['c'], ['a']],
  ])('office hours at %s: elapsed %j, restricted %j', (instant, elapsed, restricted) => {
    expect(who(office('elapsed'), instant)).toEqual(elapsed);
    expect(who(office('restricted'), instant)).toEqual(restricted);
  });

  const nights = (turns: string) =>
    oneLayer('UTC', {
      users: ['n1', 'n2', 'n3'],
      start: '2024-06-03T12:00', // handing off at noon keeps each night in one turn
      turn: '1 day',
      restrict: [{ days: weekdays, from: '22:00', to: '06:00' }],
      turns,
    });
  it.each([
    ['2024-06-03T21:59:00Z', [], []],
    ['2024-06-03T23:00:00Z', ['n1'], ['n1']], // Monday night
    ['2024-06-04T03:00:00Z', ['n1'], ['n1']], // still Monday's window, past midnight
    ['2024-06-04T06:00:00Z', [], []],
    ['2024-06-08T03:00:00Z', ['n2'], ['n2']], // Friday night reaches into Saturday
    ['2024-06-08T23:00:00Z', [], []], // Saturday night has no window
    ['2024-06-10T23:00:00Z', ['n2'], ['n3']], // Monday: elapsed turn 7; restricted: 6th counted night
  ])('weeknights 22:00-06:00 at %s: elapsed %j, restricted %j', (instant, elapsed, restricted) => {
    expect(who(nights('elapsed'), instant)).toEqual(elapsed);
    expect(who(nights('restricted'), instant)).toEqual(restricted);
  });

  it.each([
    // Restricted hours count only the 8 window hours a day: 4-hour turns hand off at 13:00 and 09:00.
    ['2024-06-03T09:00:00Z', ['a'], ['c']], // elapsed: turn 2 (08:00-12:00)
    ['2024-06-03T12:59:00Z', ['a'], ['a']],
    ['2024-06-03T13:00:00Z', ['b'], ['a']], // elapsed: 12:00-16:00 is turn 3
    ['2024-06-03T16:30:00Z', ['b'], ['b']], // elapsed: turn 4 from 16:00
    ['2024-06-04T10:00:00Z', ['c'], ['c']], // restricted: counted hour 9 → turn 2; elapsed: hour 34 → turn 8
    ['2024-06-04T20:00:00Z', [], []],
  ])('4-hour turns in a 09:00-17:00 window at %s: restricted %j, elapsed %j', (instant, restricted, elapsed) => {
    const layer = (turns: string) =>
      oneLayer('UTC', { users: ['a', 'b', 'c'], start: '2024-06-03T00:00', turn: '4 hours', restrict: [{ from: '09:00', to: '17:00' }], turns });
    expect(who(layer('restricted'), instant)).toEqual(restricted);
    expect(who(layer('elapsed'), instant)).toEqual(elapsed);
  });

  it('a window edge in a spring gap moves forward by the gap; an ambiguous edge is the earlier instant', () => {
    const night = oneLayer('America/Chicago', {
      users: ['a'],
      start: '2024-01-01T00:00',
      turn: '1 week',
      restrict: [{ from: '01:30', to: '02:30' }],
    });
    // Mar 10: 01:30 CST = 07:30Z, 02:30 does not exist → 03:30 CDT = 08:30Z.
    expect(who(night, '2024-03-10T08:15:00Z')).toEqual(['a']);
    expect(who(night, '2024-03-10T08:30:00Z')).toEqual([]);
    // Nov 3: 01:30 happens twice; the window opens at the first (CDT, 06:30Z) and closes at 02:30 CST = 08:30Z.
    expect(who(night, '2024-11-03T06:29:00Z')).toEqual([]);
    expect(who(night, '2024-11-03T06:30:00Z')).toEqual(['a']);
    expect(who(night, '2024-11-03T08:29:00Z')).toEqual(['a']);
  });
});

describe('layer precedence and overrides', () => {
  const base = { start: '2024-06-03T00:00', turn: '1 week' };
  it('a later layer wins only where it has someone; an earlier layer shows through elsewhere', () => {
    const s = createSchedule('p', {
      zone: 'UTC',
      layers: [
        { ...base, users: ['all-day'] },
        { ...base, users: [['day1', 'day2', 'day1']], restrict: [{ from: '09:00', to: '17:00' }] },
      ],
    });
    expect(who(s, '2024-06-04T10:00:00Z')).toEqual(['day1', 'day2']); // a group, deduplicated, config order
    expect(who(s, '2024-06-04T18:00:00Z')).toEqual(['all-day']);
    const reversed = createSchedule('q', {
      zone: 'UTC',
      layers: [
        { ...base, users: ['day1'], restrict: [{ from: '09:00', to: '17:00' }] },
        { ...base, users: ['all-day'] },
      ],
    });
    expect(who(reversed, '2024-06-04T10:00:00Z')).toEqual(['all-day']);
  });

  it.each([
    ['2024-11-04T16:00:00Z', ['agent1']], // Monday 10:00 CST, week 1
    ['2024-11-05T05:30:00Z', []], // Monday 23:30 CST: outside the window
    ['2024-11-05T06:00:00Z', ['agent3']], // the override starts where no layer has anyone
    ['2024-11-05T16:00:00Z', ['agent3']], // and covers the window
    ['2024-11-05T18:00:00Z', ['agent2']], // it ends at 12:00 CST; week 2
    ['2024-11-05T23:00:00Z', []], // 17:00 CST
  ])('the issue schedule with its restrict and override, at %s: %j', (instant, expected) => {
    expect(who(issueSchedule(true, true), instant)).toEqual(expected);
  });

  it('overlapping overrides: the one listed later wins; an override replaces a whole group', () => {
    const s = oneLayer('UTC', { ...base, users: [['a', 'b']] }, [
      { user: 'o1', from: '2024-06-04T10:00:00Z', to: '2024-06-04T14:00:00Z' },
      { user: 'o2', from: '2024-06-04T12:00:00+00:00', to: '2024-06-04T18:00:00+02:00' },
    ]);
    expect(who(s, '2024-06-04T09:59:00Z')).toEqual(['a', 'b']);
    expect(who(s, '2024-06-04T11:00:00Z')).toEqual(['o1']);
    expect(who(s, '2024-06-04T12:00:00Z')).toEqual(['o2']);
    expect(who(s, '2024-06-04T15:59:00Z')).toEqual(['o2']); // 18:00+02:00 is 16:00Z
    expect(who(s, '2024-06-04T16:00:00Z')).toEqual(['a', 'b']);
  });
});

describe('follow the sun: three regional layers with their own zones and windows', () => {
  const s = createSchedule('global', {
    zone: 'UTC',
    layers: [
      {
        name: 'apac',
        zone: 'Asia/Singapore',
        users: ['sg1', 'sg2'],
        start: '2024-01-01T08:00',
        turn: '1 week',
        restrict: [{ from: '08:00', to: '16:00' }],
      },
      {
        name: 'emea',
        zone: 'Africa/Lagos',
        users: ['eu1', 'eu2'],
        start: '2024-01-01T09:00',
        turn: '1 week',
        restrict: [{ from: '09:00', to: '17:00' }],
      },
      {
        name: 'amer',
        zone: 'America/Bogota',
        users: ['us1', 'us2'],
        start: '2024-01-01T11:00',
        turn: '1 week',
        restrict: [{ from: '11:00', to: '19:00' }],
      },
    ],
  });
  it.each([
    ['2024-01-03T03:00:00Z', ['sg1']], // 11:00 in Singapore
    ['2024-01-03T08:00:00Z', ['eu1']], // 09:00 in Lagos; Singapore closes at 16:00 = 08:00Z
    ['2024-01-03T15:59:00Z', ['eu1']],
    ['2024-01-03T16:00:00Z', ['us1']], // 11:00 in Bogota
    ['2024-01-03T23:59:00Z', ['us1']],
    ['2024-01-07T23:59:00Z', ['us1']], // Sunday 18:59 in Bogota: still week 0
    ['2024-01-08T00:00:00Z', ['sg2']], // Monday 08:00 in Singapore: each region hands off at its own 08:00/09:00/11:00
    ['2024-01-08T08:00:00Z', ['eu2']],
    ['2024-01-08T16:00:00Z', ['us2']],
  ])('at %s: %j', (instant, expected) => {
    expect(who(s, instant)).toEqual(expected);
  });

  it('one day of shifts is the three regions in turn', () => {
    expect(listShifts(s, '2024-01-03T00:00:00Z', '2024-01-04T00:00:00Z')).toEqual([
      'sg1 2024-01-03T00:00:00Z → 2024-01-03T08:00:00Z',
      'eu1 2024-01-03T08:00:00Z → 2024-01-03T16:00:00Z',
      'us1 2024-01-03T16:00:00Z → 2024-01-04T00:00:00Z',
    ]);
  });
});

describe('shifts, nextChange and nextOnCall', () => {
  it('shifts are clipped to the range, adjacent stretches of the same people merged, gaps left out', () => {
    const s = createSchedule('merge', {
      zone: 'UTC',
      layers: [
        { users: ['a'], start: '2024-06-03T00:00', turn: '1 week', restrict: [{ days: ['mon', 'tue'], from: '00:00', to: '24:00' }] },
        { users: ['a', 'b'], start: '2024-06-03T00:00', turn: '1 day', restrict: [{ from: '09:00', to: '17:00' }] },
      ],
    });
    expect(listShifts(s, '2024-06-03T00:00:00Z', '2024-06-06T00:00:00Z')).toEqual([
      'a 2024-06-03T00:00:00Z → 2024-06-04T09:00:00Z', // layer 1 all Monday, layer 2's a over it, layer 1 again
      'b 2024-06-04T09:00:00Z → 2024-06-04T17:00:00Z',
      'a 2024-06-04T17:00:00Z → 2024-06-05T00:00:00Z',
      'a 2024-06-05T09:00:00Z → 2024-06-05T17:00:00Z', // Wednesday: layer 2 only
    ]);
  });

  it('a group listed in another order is the same shift', () => {
    const s = oneLayer('UTC', {
      users: [
        ['a', 'b'],
        ['b', 'a'],
      ],
      start: '2024-06-03T00:00',
      turn: '1 day',
    });
    expect(listShifts(s, '2024-06-03T12:00:00Z', '2024-06-06T00:00:00Z')).toEqual(['a+b 2024-06-03T12:00:00Z → 2024-06-06T00:00:00Z']);
    expect(nextChange(s, at('2024-06-03T12:00:00Z'))).toBeUndefined();
  });

  it.each([
    [false, false, '2024-11-01T00:00:00Z', '2024-11-05T06:00:00Z'],
    [true, false, '2024-11-04T16:00:00Z', '2024-11-04T23:00:00Z'], // Monday 10:00 CST → window closes 17:00 CST
    [true, false, '2024-11-08T23:00:00Z', '2024-11-11T15:00:00Z'], // Friday 17:00 → Monday 09:00 CST
    [true, true, '2024-11-05T05:00:00Z', '2024-11-05T06:00:00Z'], // nobody → the override
    [true, true, '2024-11-05T06:00:00Z', '2024-11-05T18:00:00Z'], // the override → agent2 (in the window)
  ])('issue schedule (restrict %s, override %s): after %s the answer changes at %s', (restrict, override, from, expected) => {
    expect(iso(nextChange(issueSchedule(restrict, override), at(from)))).toBe(expected);
  });

  it('nothing changes for a lone user around the clock', () => {
    expect(nextChange(oneLayer('UTC', { users: ['a'], start: '2024-01-01T00:00', turn: '1 hour' }), at('2024-06-01T00:00:00Z'))).toBeUndefined();
  });

  it('nextOnCall names the next different people and their shift', () => {
    expect(nextOnCall(issueSchedule(false, false), at('2024-11-01T00:00:00Z'))).toEqual({
      users: ['agent2'],
      from: at('2024-11-05T06:00:00Z'),
      to: at('2024-11-12T06:00:00Z'),
    });
    // Monday 10:00 CST, agent1 on call: the next shift is agent3's override, not agent1 again after the night.
    expect(nextOnCall(issueSchedule(true, true), at('2024-11-04T16:00:00Z'))).toEqual({
      users: ['agent3'],
      from: at('2024-11-05T06:00:00Z'),
      to: at('2024-11-05T18:00:00Z'),
    });
  });

  it('refuses instants that are not numbers', () => {
    const s = issueSchedule(false, false);
    expect(() => whoIsOnCall(s, Number.NaN)).toThrow(RangeError);
    expect(() => shifts(s, 0, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
