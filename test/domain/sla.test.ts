import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/domain/calendar.js';
import { evaluateClock, formatBusinessTime } from '../../src/domain/sla.js';

const office = createCalendar('office', {
  zone: 'UTC',
  hours: { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] },
});
const at = (iso: string) => Date.parse(iso);
const base = { calendar: office, targetMinutes: 60, startedAt: at('2024-06-03T09:00:00Z'), pauses: [] };

describe('an SLA clock', () => {
  it('runs toward its due time', () => {
    expect(evaluateClock({ ...base, now: at('2024-06-03T09:45:00Z') })).toEqual({
      state: 'running',
      dueAt: at('2024-06-03T10:00:00Z'),
      usedSeconds: 2700,
      remainingSeconds: 900,
      breached: false,
    });
  });

  it('is breached once the due time comes while it still runs', () => {
    expect(evaluateClock({ ...base, now: at('2024-06-03T10:00:00Z') }).state).toBe('breached');
    expect(evaluateClock({ ...base, now: at('2024-06-03T09:59:59Z') }).state).toBe('running');
  });

  it('is met when it stops within the target, even at the due instant itself', () => {
    expect(evaluateClock({ ...base, stoppedAt: at('2024-06-03T10:00:00Z'), now: at('2024-06-05T00:00:00Z') }).state).toBe('met');
    expect(evaluateClock({ ...base, stoppedAt: at('2024-06-03T10:00:01Z'), now: at('2024-06-05T00:00:00Z') }).state).toBe('breached');
  });

  it('stands still in a pause and moves the due time by the paused business time', () => {
    const pauses = [{ start: at('2024-06-03T09:30:00Z'), end: at('2024-06-03T11:00:00Z') }];
    expect(evaluateClock({ ...base, pauses, now: at('2024-06-03T11:00:00Z') }).dueAt).toBe(at('2024-06-03T11:30:00Z'));
    const open = [{ start: at('2024-06-03T09:30:00Z') }];
    expect(evaluateClock({ ...base, pauses: open, now: at('2024-06-03T16:00:00Z') })).toMatchObject({ state: 'paused', remainingSeconds: 1800 });
  });

  it('counts only open hours: a ticket at Friday 16:30 with one hour is due Monday 09:30', () => {
    const v = evaluateClock({ ...base, startedAt: at('2024-06-07T16:30:00Z'), now: at('2024-06-08T12:00:00Z') });
    expect(v).toMatchObject({ state: 'running', dueAt: at('2024-06-10T09:30:00Z'), remainingSeconds: 1800 });
  });

  it('formats business time for people', () => {
    expect(formatBusinessTime(5400)).toBe('1h 30m');
    expect(formatBusinessTime(3 * 86400 + 7200)).toBe('3d 2h');
    expect(formatBusinessTime(-600)).toBe('10m');
    expect(formatBusinessTime(42)).toBe('42s');
  });
});
