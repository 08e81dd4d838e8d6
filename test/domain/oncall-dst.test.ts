/**
 * Handoffs and windows across clock changes, in both directions, pinned by hand-worked cases. Every expected
 * instant was worked out from the zone rules written here, never by running the code under test.
 *
 * America/Chicago CDT -5 / CST -6: 2024-03-10 02:00 CST → 03:00 CDT (08:00Z), 2024-11-03 02:00 CDT → 01:00 CST (07:00Z).
 * Europe/Berlin CET +1 / CEST +2: 2024-03-31 02:00 → 03:00 (01:00Z), 2024-10-27 03:00 → 02:00 (01:00Z).
 * Australia/Sydney AEDT +11 / AEST +10: 2024-04-07 03:00 → 02:00 (2024-04-06T16:00Z), 2024-10-06 02:00 → 03:00 (2024-10-05T16:00Z).
 */
import { describe, expect, it } from 'vitest';
import { createSchedule, whoIsOnCall, type Schedule } from '../../src/domain/oncall-schedule.js';

const who = (schedule: Schedule, instant: string): readonly string[] => whoIsOnCall(schedule, Date.parse(instant));
const oneLayer = (zone: string, layer: Record<string, unknown>): Schedule => createSchedule(`test ${zone}`, { zone, layers: [layer] });

describe('handoffs across clock changes stay at their local time', () => {
  it.each([
    // America/Chicago, daily 01:30 across the autumn change: Nov 3 01:30 happens twice; the earlier (CDT, 06:30Z) counts.
    ['America/Chicago', '2024-11-01T01:30', '1 day', '2024-11-03T06:29:00Z', ['b']],
    ['America/Chicago', '2024-11-01T01:30', '1 day', '2024-11-03T06:30:00Z', ['a']],
    ['America/Chicago', '2024-11-01T01:30', '1 day', '2024-11-03T07:30:00Z', ['a']], // 01:30 CST, the second time round
    ['America/Chicago', '2024-11-01T01:30', '1 day', '2024-11-04T07:29:00Z', ['a']], // that turn lasts 25 h
    ['America/Chicago', '2024-11-01T01:30', '1 day', '2024-11-04T07:30:00Z', ['b']],
    // America/Chicago, daily 02:30 across the spring change: Mar 10 02:30 does not exist, moves to 03:30 CDT = 08:30Z.
    ['America/Chicago', '2024-03-08T02:30', '1 day', '2024-03-10T08:29:00Z', ['b']],
    ['America/Chicago', '2024-03-08T02:30', '1 day', '2024-03-10T08:30:00Z', ['a']],
    ['America/Chicago', '2024-03-08T02:30', '1 day', '2024-03-11T07:29:00Z', ['a']], // 02:30 CDT on Mar 11 = 07:30Z
    ['America/Chicago', '2024-03-08T02:30', '1 day', '2024-03-11T07:30:00Z', ['b']],
    // Europe/Berlin, Monday 09:00 weekly across spring forward: 08:00Z, then 07:00Z (a 167-hour week).
    ['Europe/Berlin', '2024-03-25T09:00', '1 week', '2024-04-01T06:59:00Z', ['a']],
    ['Europe/Berlin', '2024-03-25T09:00', '1 week', '2024-04-01T07:00:00Z', ['b']],
    // Europe/Berlin, 8-hour turns from Saturday 22:00 CET (21:00Z): wall-clock hours, so the next handoff is
    // Sunday 06:00 CEST = 04:00Z (a 7-hour turn), then 14:00 CEST = 12:00Z.
    ['Europe/Berlin', '2024-03-30T22:00', '8 hours', '2024-03-31T03:59:00Z', ['a']],
    ['Europe/Berlin', '2024-03-30T22:00', '8 hours', '2024-03-31T04:00:00Z', ['b']],
    ['Europe/Berlin', '2024-03-30T22:00', '8 hours', '2024-03-31T12:00:00Z', ['a']], // entries a, b, then a again
    // Australia/Sydney, Sunday 08:00 weekly: autumn (AEDT → AEST) makes a 169-hour week, spring a 167-hour one.
    ['Australia/Sydney', '2024-03-31T08:00', '1 week', '2024-03-30T21:00:00Z', ['a']],
    ['Australia/Sydney', '2024-03-31T08:00', '1 week', '2024-04-06T21:30:00Z', ['a']], // 07:30 AEST on Apr 7
    ['Australia/Sydney', '2024-03-31T08:00', '1 week', '2024-04-06T22:00:00Z', ['b']],
    ['Australia/Sydney', '2024-09-29T08:00', '1 week', '2024-10-05T20:59:00Z', ['a']],
    ['Australia/Sydney', '2024-09-29T08:00', '1 week', '2024-10-05T21:00:00Z', ['b']], // 08:00 AEDT on Oct 6
  ])('%s, start %s, turn %s: at %s %j', (zone, start, turn, instant, expected) => {
    expect(who(oneLayer(zone, { users: ['a', 'b'], start, turn }), instant)).toEqual(expected);
  });

  it.each([
    // Europe/Berlin autumn: Monday 09:00 CEST = 07:00Z, then Monday 09:00 CET = 08:00Z (a 169-hour week).
    ['Europe/Berlin', '2024-10-21T09:00', '1 week', '2024-10-28T07:59:00Z', ['a']],
    ['Europe/Berlin', '2024-10-21T09:00', '1 week', '2024-10-28T08:00:00Z', ['b']],
    // Chicago autumn, hourly turns: local 01:00 is the earlier instant (06:00Z) and 02:00 CST is 08:00Z, so the
    // 01:00 turn lasts two real hours.
    ['America/Chicago', '2024-11-03T00:00', '1 hour', '2024-11-03T07:30:00Z', ['b']],
    ['America/Chicago', '2024-11-03T00:00', '1 hour', '2024-11-03T08:00:00Z', ['c']],
    ['America/Chicago', '2024-11-03T00:00', '1 hour', '2024-11-03T09:00:00Z', ['a']], // 03:00 CST, turn 3
  ])('%s, start %s, turn %s, rotation a, b, c: at %s %j', (zone, start, turn, instant, expected) => {
    expect(who(oneLayer(zone, { users: ['a', 'b', 'c'], start, turn }), instant)).toEqual(expected);
  });

  it.each([
    // Office days counted in restricted mode across the spring change: Mon Mar 4 .. Fri Mar 8 are a..e (CST),
    // the weekend does not count, Monday Mar 11 (CDT) is a again, at 09:00 CDT = 14:00Z.
    ['2024-03-08T15:00:00Z', ['e']], // Friday 09:00 CST
    ['2024-03-08T22:59:00Z', ['e']],
    ['2024-03-08T23:00:00Z', []], // 17:00 CST
    ['2024-03-11T13:59:00Z', []], // 08:59 CDT
    ['2024-03-11T14:00:00Z', ['a']],
    ['2024-03-11T21:59:00Z', ['a']], // 16:59 CDT
  ])('restricted office days in Chicago across spring forward: at %s %j', (instant, expected) => {
    const office = oneLayer('America/Chicago', {
      users: ['a', 'b', 'c', 'd', 'e'],
      start: '2024-03-04T09:00',
      turn: '1 day',
      restrict: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
      turns: 'restricted',
    });
    expect(who(office, instant)).toEqual(expected);
  });
});
