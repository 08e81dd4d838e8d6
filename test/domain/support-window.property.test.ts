/**
 * Laws of support-window arithmetic: calendar dates in the product's zone, end dates included,
 * phases that only move forward, and end-of-support warnings sent once per threshold however the
 * daily checks fall (a desk down for weeks included).
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  bySoonestEnd,
  daysBetween,
  dueWarning,
  localDateOf,
  nextEnd,
  supportPhase,
  versionInRange,
  type Product,
  type ProductVersion,
} from '../../src/domain/support-window.js';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Pacific/Auckland', 'Asia/Kolkata', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];
const PHASES = ['upcoming', 'supported', 'extended', 'ended'];
const BASE = DateTime.fromISO('2015-01-01', { zone: 'UTC' });

const date = fc.integer({ min: 0, max: 6000 }).map((d) => BASE.plus({ days: d }).toISODate()!);
const plus = (d: string, n: number) => DateTime.fromISO(d, { zone: 'UTC' }).plus({ days: n }).toISODate()!;

const version: fc.Arbitrary<ProductVersion> = fc
  .record({ released: date, standard: fc.integer({ min: 0, max: 2000 }), extended: fc.option(fc.integer({ min: 0, max: 1500 })), lts: fc.boolean() })
  .map(({ released, standard, extended, lts }) => ({
    name: 'v',
    released,
    endOfSupport: plus(released, standard),
    lts,
    ...(extended !== null ? { endOfExtendedSupport: plus(released, standard + extended) } : {}),
  }));

describe('support windows', () => {
  it('phases only move forward as the days pass, and every end date is the last day of its phase', () => {
    fc.assert(
      fc.property(version, date, fc.integer({ min: 0, max: 3000 }), (v, today, later) => {
        expect(PHASES.indexOf(supportPhase(v, plus(today, later)))).toBeGreaterThanOrEqual(PHASES.indexOf(supportPhase(v, today)));
        expect(supportPhase(v, v.released)).toBe('supported');
        expect(supportPhase(v, v.endOfSupport)).toBe('supported');
        expect(supportPhase(v, plus(v.released, -1))).toBe('upcoming');
        const after = supportPhase(v, plus(v.endOfSupport, 1));
        if (v.endOfExtendedSupport !== undefined && v.endOfExtendedSupport > v.endOfSupport) {
          expect(after).toBe('extended');
          expect(supportPhase(v, v.endOfExtendedSupport)).toBe('extended');
          expect(supportPhase(v, plus(v.endOfExtendedSupport, 1))).toBe('ended');
        } else expect(after).toBe('ended');
      }),
    );
  });

  it('reads an instant as the calendar date of its zone: a day runs from local midnight to the next, 23, 24 or 25 hours later', () => {
    fc.assert(
      fc.property(date, fc.constantFrom(...ZONES), (d, zone) => {
        const start = DateTime.fromISO(d, { zone }).startOf('day');
        const next = start.plus({ days: 1 });
        expect(localDateOf(start.toMillis(), zone)).toBe(d);
        expect(localDateOf(next.toMillis() - 1, zone)).toBe(d);
        expect(localDateOf(next.toMillis(), zone)).toBe(plus(d, 1));
      }),
    );
  });

  it('counts calendar days: additive, and the same across clock changes', () => {
    fc.assert(
      fc.property(date, date, date, (a, b, c) => {
        expect(daysBetween(a, b) + daysBetween(b, c)).toBe(daysBetween(a, c));
        expect(daysBetween(a, b) + daysBetween(b, a)).toBe(0);
        expect(daysBetween(a, plus(a, 1))).toBe(1);
        expect(Object.is(daysBetween(a, a), 0)).toBe(true);
      }),
    );
  });

  it('warns once per threshold reached before the end, whatever days the checks run on', () => {
    fc.assert(
      fc.property(
        date,
        fc.integer({ min: -200, max: 200 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }),
        (end, startOffset, gaps) => {
          const thresholds = [90, 30];
          const sent: number[] = [];
          let warnings = 0;
          let today = plus(end, startOffset);
          for (const gap of gaps) {
            const due = dueWarning(end, today, thresholds, sent);
            if (due) {
              warnings++;
              expect(due.days).toBeGreaterThanOrEqual(0);
              expect(due.days).toBe(daysBetween(today, end));
              for (const t of due.covers) expect(due.days).toBeLessThanOrEqual(t);
              expect(due.covers.some((t) => sent.includes(t))).toBe(false);
              sent.push(...due.covers);
            }
            today = plus(today, gap);
          }
          expect(warnings).toBeLessThanOrEqual(thresholds.length);
          expect(new Set(sent).size).toBe(sent.length);
        },
      ),
    );
  });

  it('warns on each threshold day when checked daily from before it', () => {
    const end = '2025-03-31';
    const sent: number[] = [];
    const days: string[] = [];
    for (let today = '2024-10-01'; today <= '2025-04-10'; today = plus(today, 1)) {
      const due = dueWarning(end, today, [90, 30], sent);
      if (due) {
        days.push(`${today}:${due.days}`);
        sent.push(...due.covers);
      }
    }
    expect(days).toEqual(['2024-12-31:90', '2025-03-01:30']);
  });

  it('orders versions by their next end, ended ones last and the latest ended first', () => {
    fc.assert(
      fc.property(fc.array(version, { minLength: 1, maxLength: 8 }), date, (versions, today) => {
        const product: Product = { name: 'P', aliases: [], zone: 'UTC', unsupported: { kind: 'accept' }, versions };
        const rows = versions.map((v, i) => ({ product, version: { ...v, name: String(i) } }));
        const now = DateTime.fromISO(today, { zone: 'UTC' }).toMillis();
        const sorted = bySoonestEnd(rows, now).map(
          (r) => nextEnd(r.version, today) ?? `~${r.version.endOfExtendedSupport ?? r.version.endOfSupport}`,
        );
        const live = sorted.filter((k) => !k.startsWith('~'));
        const ended = sorted.filter((k) => k.startsWith('~'));
        expect(sorted).toEqual([...live, ...ended]);
        expect(live).toEqual([...live].sort());
        expect(ended).toEqual([...ended].sort().reverse());
      }),
    );
  });

  it('matches a version range by release order, either end open', () => {
    const v = (name: string): ProductVersion => ({ name, released: '2020-01-01', endOfSupport: '2030-01-01', lts: false });
    const p: Product = { name: 'P', aliases: [], zone: 'UTC', unsupported: { kind: 'accept' }, versions: ['1.9', '1.10', '2.0'].map(v) };
    expect(versionInRange(p, '1.10', '1.9', '1.10')).toBe(true);
    expect(versionInRange(p, '2.0', '1.9', '1.10')).toBe(false);
    expect(versionInRange(p, '2.0', '1.10')).toBe(true);
    expect(versionInRange(p, '1.9', undefined, '1.9')).toBe(true);
    expect(versionInRange(p, '3.0')).toBe(false);
  });
});
