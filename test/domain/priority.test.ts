import { describe, expect, it } from 'vitest';
import { ITIL_MATRIX, LEVELS, priorityOf, type Level } from '../../src/domain/priority.js';

describe('the ITIL impact × urgency matrix', () => {
  it.each([
    ['high', 'high', 'P1'],
    ['high', 'medium', 'P2'],
    ['high', 'low', 'P3'],
    ['medium', 'medium', 'P3'],
    ['medium', 'low', 'P4'],
    ['low', 'low', 'P5'],
  ] as const)('impact %s × urgency %s gives %s', (impact, urgency, priority) => {
    expect(priorityOf(ITIL_MATRIX, impact, urgency)).toBe(priority);
  });

  it('is symmetric in impact and urgency', () => {
    for (const a of LEVELS) for (const b of LEVELS) expect(priorityOf(ITIL_MATRIX, a, b)).toBe(priorityOf(ITIL_MATRIX, b, a));
  });

  it('never gives a less pressing priority when either axis rises', () => {
    const rank = (l: Level) => LEVELS.indexOf(l); // 0 = high
    for (const a of LEVELS)
      for (const b of LEVELS)
        for (const c of LEVELS) {
          if (rank(c) < rank(b)) expect(priorityOf(ITIL_MATRIX, a, c) <= priorityOf(ITIL_MATRIX, a, b)).toBe(true);
        }
  });
});
