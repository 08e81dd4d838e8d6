import { DateTime } from 'luxon';

/** How the report groups tickets and surveys: by who or what, or by the period (UTC) they fall in. */
export type ReportGrouping = 'tier' | 'priority' | 'agent' | 'week' | 'month';

export const GROUPINGS: readonly ReportGrouping[] = ['tier', 'priority', 'agent', 'week', 'month'];

export function isGrouping(value: string): value is ReportGrouping {
  return (GROUPINGS as readonly string[]).includes(value);
}

/** The period an instant falls in, in UTC: `2024-W23` (ISO week) or `2024-06`; sorts in time order. */
export function groupOfPeriod(at: number, by: 'week' | 'month'): string {
  const t = DateTime.fromMillis(at, { zone: 'utc' });
  return by === 'week' ? `${t.weekYear}-W${String(t.weekNumber).padStart(2, '0')}` : t.toFormat('yyyy-MM');
}
