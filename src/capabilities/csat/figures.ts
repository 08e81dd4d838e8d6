/**
 * Satisfaction figures for `tierdesk report` and `/ticket stats`: per group (tier, priority, agent,
 * ISO week or month of the survey) and over everything, the surveys asked, the ratings given, the
 * response rate, the average and the distribution of 1–5. Printed as part of the report's table,
 * JSON and CSV (src/capabilities/sla/report.ts).
 */
import type { Core } from '../../core/work.js';
import { csatFigures, type CsatFigures } from '../../store/csat.js';
import { groupOfPeriod, type ReportGrouping } from '../sla/grouping.js';

/** One row: a group's surveys of resolutions asked in the period. */
export interface CsatRow {
  group: string;
  asked: number;
  rated: number;
  /** rated / asked, as a percentage; null when nothing was asked. */
  responseRatePct: number | null;
  /** The average rating, two decimals; null without ratings. */
  average: number | null;
  /** How many ratings of 1, 2, 3, 4 and 5. */
  distribution: [number, number, number, number, number];
}

export interface CsatReport {
  by: ReportGrouping;
  /** The groups, then `all`. */
  rows: CsatRow[];
}

/** Surveys asked in [from, to) (of one tier's tickets, when given), grouped `by`, with a last row for them all. */
export async function csatReport(core: Core, opts: { from: number; to: number; by: ReportGrouping; tier?: string }): Promise<CsatReport> {
  const groupOf = (r: { tier: string; priority: string; assignee: string | null; askedAt: number }): string => {
    if (opts.by === 'tier') return r.tier;
    if (opts.by === 'priority') return r.priority;
    if (opts.by === 'agent') return r.assignee === null ? 'unassigned' : core.directory.nameOf(r.assignee);
    return groupOfPeriod(r.askedAt, opts.by);
  };
  const groups = await csatFigures(core.db, opts.from, opts.to, groupOf, opts.tier);
  return { by: opts.by, rows: [...groups.map(rowOf), csatTogether(groups)] };
}

/** Several groups' surveys as one row (`all`): the counts add up, the average is the summed distribution's. */
export function csatTogether(groups: readonly CsatFigures[], group = 'all'): CsatRow {
  const all: CsatFigures = { group, asked: 0, rated: 0, distribution: [0, 0, 0, 0, 0] };
  for (const g of groups) {
    all.asked += g.asked;
    all.rated += g.rated;
    g.distribution.forEach((n, i) => (all.distribution[i]! += n));
  }
  return rowOf(all);
}

/** The one place a row's rate and average are computed. */
function rowOf(g: CsatFigures): CsatRow {
  const sum = g.distribution.reduce((s, n, i) => s + n * (i + 1), 0);
  return {
    group: g.group,
    asked: g.asked,
    rated: g.rated,
    responseRatePct: g.asked > 0 ? Math.round((1000 * g.rated) / g.asked) / 10 : null,
    average: g.rated > 0 ? Math.round((100 * sum) / g.rated) / 100 : null,
    distribution: [...g.distribution],
  };
}

const HEADERS = ['group', 'asked', 'rated', 'response %', 'average', '1', '2', '3', '4', '5'];

function cells(r: CsatRow): Array<string | number | null> {
  return [r.group, r.asked, r.rated, r.responseRatePct, r.average, ...r.distribution];
}

/** The figures as an aligned table under a heading. */
export function csatTable(report: CsatReport): string[] {
  if (report.rows.length === 1) return ['Satisfaction: no ratings asked in this period.'];
  const table = [HEADERS, ...report.rows.map((r) => cells(r).map((c) => (c === null ? '-' : String(c))))];
  const widths = HEADERS.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return [`Satisfaction by ${report.by}: surveys asked in the period, ratings given, average and ratings 1-5`, ...lines];
}

/** The figures as CSV rows (a header first); `cell` quotes and neutralises text. */
export function csatCsv(report: CsatReport, cell: (v: string | number | null) => string): string[] {
  return [
    ['satisfaction group', ...HEADERS.slice(1).map((h) => (/^\d$/.test(h) ? `rated ${h}` : h))].join(','),
    ...report.rows.map((r) => cells(r).map(cell).join(',')),
  ];
}
