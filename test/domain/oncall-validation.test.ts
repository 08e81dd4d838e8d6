/**
 * Reading the `schedules` section: every problem at once, each naming its key path; nothing guessed.
 */
import { describe, expect, it } from 'vitest';
import { createSchedule, parseSchedule, parseSchedules } from '../../src/domain/oncall-schedule.js';

const PEOPLE = new Set(['agent1', 'agent2', 'agent3']);
const layer = (fields: Record<string, unknown> = {}) => ({ users: ['agent1', 'agent2'], start: '2024-10-29T00:00', turn: '1 week', ...fields });
const problemsOf = (fields: Record<string, unknown>, zone = 'America/Chicago'): string[] =>
  parseSchedule('l2-primary', { zone, layers: [layer(fields)] }, PEOPLE).problems;

describe('a valid schedule', () => {
  it('reads the issue example with no problems, and knows its parts', () => {
    const { schedules, problems } = parseSchedules(
      {
        'l2-primary': {
          zone: 'America/Chicago',
          layers: [
            layer({
              name: 'weekly',
              users: ['agent1', ['agent2', 'agent3']],
              restrict: [{ days: ['mon', 'fri'], from: '09:00', to: '17:00' }],
              turns: 'elapsed',
            }),
          ],
          overrides: [{ user: 'agent3', from: '2024-11-05T06:00:00Z', to: '2024-11-05T18:00:00Z' }],
        },
      },
      PEOPLE,
    );
    expect(problems).toEqual([]);
    const schedule = schedules.get('l2-primary')!;
    expect(schedule.zone).toBe('America/Chicago');
    expect(schedule.layers[0]).toMatchObject({
      name: 'weekly',
      zone: 'America/Chicago',
      entries: [['agent1'], ['agent2', 'agent3']],
      turn: { amount: 1, unit: 'weeks' },
    });
    expect(schedule.layers[0]!.restrict).toEqual([{ days: [0, 4], from: 540, to: 1020 }]);
    expect(schedule.overrides).toEqual([{ user: 'agent3', from: Date.parse('2024-11-05T06:00:00Z'), to: Date.parse('2024-11-05T18:00:00Z') }]);
  });

  it.each([
    ['1 hour', { amount: 1, unit: 'hours' }],
    ['12 hours', { amount: 12, unit: 'hours' }],
    ['2 days', { amount: 2, unit: 'days' }],
    ['1d', { amount: 1, unit: 'days' }],
    ['3 Weeks', { amount: 3, unit: 'weeks' }],
  ])('turn %j is %j', (turn, expected) => {
    expect(createSchedule('t', { zone: 'UTC', layers: [layer({ turn })] }).layers[0]!.turn).toEqual(expected);
  });

  it('no schedules section is no schedules and no problem', () => {
    expect(parseSchedules(undefined, PEOPLE)).toEqual({ schedules: new Map(), problems: [] });
  });

  it('a window may run all day (00:00-24:00) or wrap midnight; without days it applies every day', () => {
    const s = createSchedule('w', {
      zone: 'UTC',
      layers: [
        layer({
          restrict: [
            { from: '00:00', to: '24:00' },
            { days: ['sat'], from: '22:00', to: '02:00' },
          ],
        }),
      ],
    });
    expect(s.layers[0]!.restrict).toEqual([
      { days: [0, 1, 2, 3, 4, 5, 6], from: 0, to: 1440 },
      { days: [5], from: 1320, to: 120 },
    ]);
  });

  it('a layer may use its own zone, and its start is read there', () => {
    const s = createSchedule('z', { zone: 'America/Chicago', layers: [layer({ zone: 'Europe/London', start: '2024-06-03T09:00' })] });
    expect(s.layers[0]!.startMs).toBe(Date.parse('2024-06-03T08:00:00Z')); // 09:00 BST
  });
});

describe('bad input: a clear error naming the key', () => {
  it.each([
    [{ users: ['agent1', 'bob'] }, 'schedules.l2-primary.layers[0].users[1]: "bob" is not a person under people'],
    [{ users: [['agent1', 'eve']] }, 'schedules.l2-primary.layers[0].users[0][1]: "eve" is not a person under people'],
    [{ users: [] }, 'schedules.l2-primary.layers[0].users: a layer needs at least one user; give a rotation such as [agent1, agent2]'],
    [{ users: undefined }, 'schedules.l2-primary.layers[0].users: a layer needs at least one user; give a rotation such as [agent1, agent2]'],
    [
      { turn: '0 days' },
      'schedules.l2-primary.layers[0].turn: "0 days" is no time at all; give a whole number of hours, days or weeks above zero, such as "1 week" or "12 hours"',
    ],
    [
      { turn: '1.5 days' },
      'schedules.l2-primary.layers[0].turn: "1.5 days" is not a turn length; give a whole number of hours, days or weeks above zero, such as "1 week" or "12 hours"',
    ],
    [
      { turn: '2 months' },
      'schedules.l2-primary.layers[0].turn: "2 months" is not a turn length; give a whole number of hours, days or weeks above zero, such as "1 week" or "12 hours"',
    ],
    [
      { restrict: [{ from: '09:00', to: '09:00' }] },
      'schedules.l2-primary.layers[0].restrict[0]: ends where it starts (from "09:00" to "09:00"); for all day use from "00:00" to "24:00"',
    ],
    [
      { restrict: [{ from: '24:00', to: '09:00' }] },
      'schedules.l2-primary.layers[0].restrict[0].from: "24:00" is not a time of day "HH:MM" (00:00 to 23:59)',
    ],
    [
      { restrict: [{ days: ['mon', 'fry'], from: '09:00', to: '17:00' }] },
      'schedules.l2-primary.layers[0].restrict[0].days[1]: "fry" is not a weekday (mon, tue, wed, thu, fri, sat, sun)',
    ],
    [
      { turns: 'sometimes' },
      'schedules.l2-primary.layers[0].turns: "sometimes" is not elapsed (turns advance with the calendar) or restricted (only restricted time counts)',
    ],
    [
      { turns: 'restricted' },
      'schedules.l2-primary.layers[0].turns: restricted counts only time inside restrict windows, but the layer has none; add restrict or use elapsed',
    ],
    [{ zone: 'Mars/Olympus' }, 'schedules.l2-primary.layers[0].zone: "Mars/Olympus" is not a known IANA time zone (such as America/Chicago or UTC)'],
    [{ colour: 'red' }, 'schedules.l2-primary.layers[0].colour: unknown key (expected name, users, start, turn, restrict, turns, zone)'],
    [{ start: '2024-02-30T09:00' }, 'schedules.l2-primary.layers[0].start: "2024-02-30T09:00" is not a real date and time'],
    [
      { start: '2024-10-29T00:00:00Z' },
      'schedules.l2-primary.layers[0].start: "2024-10-29T00:00:00Z" is not a local time "YYYY-MM-DDTHH:MM" such as "2024-10-29T09:00" (quoted, no offset: it is read in the zone)',
    ],
    [
      { start: '2024-03-10T02:30' },
      'schedules.l2-primary.layers[0].start: "2024-03-10T02:30" does not exist in America/Chicago (the clocks skip it that night, it would become 03:30); pick a time outside the gap',
    ],
    [
      { start: '2024-03-31T02:00', zone: 'Europe/Berlin' },
      'schedules.l2-primary.layers[0].start: "2024-03-31T02:00" does not exist in Europe/Berlin (the clocks skip it that night, it would become 03:00); pick a time outside the gap',
    ],
  ])('layer %j → %s', (fields, expected) => {
    expect(problemsOf(fields)).toEqual([expected]);
  });

  it('a window with a misspelt key says so, and that its closing time is missing', () => {
    expect(problemsOf({ restrict: [{ from: '09:00', until: '17:00' }] })).toEqual([
      'schedules.l2-primary.layers[0].restrict[0].until: unknown key (expected days, from, to)',
      'schedules.l2-primary.layers[0].restrict[0].to: missing; give a time of day "HH:MM" (00:00 to 24:00)',
    ]);
  });

  it('an ambiguous start (autumn) is fine: it is the earlier instant', () => {
    const s = createSchedule('a', { zone: 'America/Chicago', layers: [layer({ start: '2024-11-03T01:30' })] });
    expect(s.layers[0]!.startMs).toBe(Date.parse('2024-11-03T06:30:00Z'));
  });

  it.each([
    [
      [{ user: 'agent3', from: '2024-11-05T18:00:00Z', to: '2024-11-05T06:00:00Z' }],
      'schedules.l2-primary.overrides[0].to: 2024-11-05T06:00:00.000Z is not after from (2024-11-05T18:00:00.000Z); an override must end after it starts',
    ],
    [
      [{ user: 'agent3', from: '2024-11-05T18:00:00Z', to: '2024-11-05T18:00:00Z' }],
      'schedules.l2-primary.overrides[0].to: 2024-11-05T18:00:00.000Z is not after from (2024-11-05T18:00:00.000Z); an override must end after it starts',
    ],
    [
      [{ user: 'zed', from: '2024-11-05T06:00:00Z', to: '2024-11-05T18:00:00Z' }],
      'schedules.l2-primary.overrides[0].user: "zed" is not a person under people',
    ],
    [
      [{ user: 'agent3', from: '2024-11-05T06:00', to: '2024-11-05T18:00:00Z' }],
      'schedules.l2-primary.overrides[0].from: "2024-11-05T06:00" is not an instant with its offset, such as "2024-11-05T06:00:00Z" or "2024-11-05T00:00:00-06:00"',
    ],
    ['agent3', 'schedules.l2-primary.overrides: must be a list such as [{ user: agent3, from: "2024-11-05T06:00:00Z", to: "2024-11-05T18:00:00Z" }]'],
  ])('overrides %j → %s', (overrides, expected) => {
    expect(parseSchedule('l2-primary', { zone: 'America/Chicago', layers: [layer()], overrides }, PEOPLE).problems).toEqual([expected]);
  });

  it('reports every problem at once, across schedules, and keeps the good schedules', () => {
    const { schedules, problems } = parseSchedules(
      {
        good: { zone: 'UTC', layers: [layer()] },
        bad: {
          zone: 'Europe/Nowhere',
          layers: [layer({ users: ['nobody'], turn: '0 weeks' }), layer({ restrict: [{ from: '10:00', to: '10:00' }] })],
          overrides: [{ user: 'agent1', from: '2024-01-02T00:00:00Z', to: '2024-01-01T00:00:00Z' }],
          owner: 'me',
        },
        empty: { zone: 'UTC', layers: [] },
        odd: 'weekly',
      },
      PEOPLE,
    );
    expect([...schedules.keys()]).toEqual(['good']);
    expect(problems.map((p) => p.slice(0, p.indexOf(':')))).toEqual([
      'schedules.bad.owner',
      'schedules.bad.zone',
      'schedules.bad.layers[0].users[0]',
      'schedules.bad.layers[0].turn',
      'schedules.bad.layers[1].restrict[0]',
      'schedules.bad.overrides[0].to',
      'schedules.empty.layers',
      'schedules.odd',
    ]);
  });

  it('the section itself must be a table, and createSchedule throws listing the problems', () => {
    expect(parseSchedules(['l2'], PEOPLE).problems).toEqual(['schedules: must be a table of schedule names to { zone, layers, overrides }']);
    expect(() => createSchedule('x', { zone: 'UTC', layers: [layer({ turn: '0 days' })] })).toThrow(/schedules\.x\.layers\[0\]\.turn: "0 days"/);
  });
});
