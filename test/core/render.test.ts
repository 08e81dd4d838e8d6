import { describe, expect, it } from 'vitest';
import { formatInstant } from '../../src/core/render.js';

describe('instants as people read them', () => {
  it('writes each instant to the minute, however the ones before it were asked for', () => {
    expect(formatInstant(Date.UTC(2024, 2, 8, 21, 0, 59, 999))).toBe('2024-03-08 21:00 UTC');
    expect(formatInstant(Date.UTC(2024, 2, 8, 21, 1))).toBe('2024-03-08 21:01 UTC');
    expect(formatInstant(-1)).toBe('1969-12-31 23:59 UTC');
    // Many minutes, some asked again out of order: each one is its own, never a neighbour's.
    const start = Date.UTC(2026, 11, 8, 9, 30, 17);
    for (let i = 0; i < 2_000; i++) {
      const at = start + ((i * 7919) % 1_000) * 60_000 + (i % 60) * 1_000;
      expect(formatInstant(at)).toBe(`${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    }
  });

  it('refuses an instant that is not one', () => {
    expect(() => formatInstant(Number.NaN)).toThrow(RangeError);
  });
});
