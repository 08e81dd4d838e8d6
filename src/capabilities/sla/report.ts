import { BUILT_IN_CALENDARS } from '../../domain/calendar.js';
import { businessSecondsBetween } from '../../domain/business-time.js';
import { UserError } from '../../domain/errors.js';
import { CLOCKS, type ClockName } from '../../domain/sla.js';
import { listPausesOf, type PauseRow } from '../../store/sla-pauses.js';
import { backlogByTier, ticketsCreatedIn } from '../../store/tickets.js';
import { deflectionCsv, deflectionFigures, deflectionTable, type DeflectionFigures } from '../kb/figures.js';
import { snapshotWith } from './clocks.js';
import { ticketFromRow, type Ticket } from '../tickets/ticket-model.js';
import type { Core } from '../../core/work.js';
import { csatCsv, csatReport, csatTable, type CsatReport } from '../csat/figures.js';
import { groupOfPeriod, type ReportGrouping } from './grouping.js';

export type { ReportGrouping } from './grouping.js';

/** One row of the SLA report: a tier, a priority or an agent (or everything, `all`). */
export interface ReportRow {
  group: string;
  tickets: number;
  /** Per clock: decided clocks met / (met + breached), as a percentage; null when none is decided. */
  firstResponseAttainmentPct: number | null;
  resolutionAttainmentPct: number | null;
  breaches: number;
  /** Business minutes, over tickets whose clock has stopped. */
  firstResponseMedianMin: number | null;
  firstResponseP90Min: number | null;
  resolutionMedianMin: number | null;
  resolutionP90Min: number | null;
}

export interface Report {
  from: number;
  to: number;
  by: ReportGrouping;
  rows: ReportRow[];
  /** Active (open, claimed, waiting) tickets per tier right now. */
  backlog: Record<string, number>;
  /** Knowledge offered before tickets in the period (src/app/kb-figures.ts): the deflection rate and each document's effectiveness. */
  deflection?: DeflectionFigures;
  /** Satisfaction surveys asked in the period, grouped the same way (with `csat.enabled`). */
  csat?: CsatReport;
}

interface Sample {
  group: string;
  met: Record<ClockName, boolean | undefined>;
  breached: number;
  minutes: Record<ClockName, number | undefined>;
}

/**
 * The SLA report for tickets created in [from, to): attainment, breaches, median and p90 times, backlog.
 * With `tier`, only that tier's tickets count (the dashboard's tier filter); the backlog still lists every tier.
 */
export async function slaReport(core: Core, opts: { from: number; to: number; by: ReportGrouping; tier?: string }): Promise<Report> {
  if (!(opts.from < opts.to)) throw new UserError('bad_range', '--from must be before --to.');
  const tickets = (await ticketsCreatedIn(core.db, opts.from, opts.to))
    .map(ticketFromRow)
    .filter((t) => opts.tier === undefined || t.tier === opts.tier);
  const pauses = await listPausesOf(
    core.db,
    tickets.map((t) => t.number),
  );
  const now = core.clock.now();
  const samples = tickets.map((t) => sample(core, t, pauses.get(t.number) ?? [], now, opts.by));
  const groups = [...new Set(samples.map((s) => s.group))].sort();
  const counts = await backlogByTier(core.db);
  const backlog: Record<string, number> = Object.fromEntries(core.directory.tiers.map((t) => [t.id, 0]));
  for (const [tier, n] of counts) backlog[tier] = n;
  const deflection = await deflectionFigures(core.db, opts.from, opts.to);
  const csat = core.config.csat.enabled ? { csat: await csatReport(core, opts) } : {};
  return {
    from: opts.from,
    to: opts.to,
    by: opts.by,
    rows: [
      ...groups.map((g) =>
        summarise(
          g,
          samples.filter((s) => s.group === g),
        ),
      ),
      summarise('all', samples),
    ],
    backlog,
    deflection,
    ...csat,
  };
}

function sample(core: Core, t: Ticket, pauses: PauseRow[], now: number, by: ReportGrouping): Sample {
  const group =
    by === 'tier'
      ? t.tier
      : by === 'priority'
        ? t.priority
        : by === 'agent'
          ? t.assignee
            ? core.directory.nameOf(t.assignee)
            : 'unassigned'
          : groupOfPeriod(t.createdAt, by);
  const snap = snapshotWith(core, t, pauses, now);
  const s: Sample = {
    group,
    met: { first_response: undefined, resolution: undefined },
    breached: 0,
    minutes: { first_response: undefined, resolution: undefined },
  };
  for (const clock of CLOCKS) {
    if (snap) {
      const v = snap.clocks[clock];
      if (v.state === 'met') s.met[clock] = true;
      if (v.breached) {
        s.met[clock] = false;
        s.breached++;
      }
      if (snap.inputs[clock].stoppedAt !== undefined) s.minutes[clock] = v.usedSeconds / 60;
    } else {
      // No policy: measure in wall-clock time so the figures still mean something.
      const stop = clock === 'first_response' ? t.firstResponseAt : t.resolvedAt;
      if (stop !== undefined) s.minutes[clock] = businessSecondsBetween(BUILT_IN_CALENDARS['24x7']!, t.createdAt, stop) / 60;
    }
  }
  return s;
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(p * sorted.length) - 1; // nearest-rank
  return Math.round(sorted[Math.max(0, rank)]! * 10) / 10;
}

function attainment(samples: Sample[], clock: ClockName): number | null {
  const decided = samples.filter((s) => s.met[clock] !== undefined);
  if (decided.length === 0) return null;
  return Math.round((decided.filter((s) => s.met[clock]).length / decided.length) * 1000) / 10;
}

function summarise(group: string, samples: Sample[]): ReportRow {
  const mins = (clock: ClockName) => samples.map((s) => s.minutes[clock]).filter((m): m is number => m !== undefined);
  return {
    group,
    tickets: samples.length,
    firstResponseAttainmentPct: attainment(samples, 'first_response'),
    resolutionAttainmentPct: attainment(samples, 'resolution'),
    breaches: samples.reduce((n, s) => n + s.breached, 0),
    firstResponseMedianMin: percentile(mins('first_response'), 0.5),
    firstResponseP90Min: percentile(mins('first_response'), 0.9),
    resolutionMedianMin: percentile(mins('resolution'), 0.5),
    resolutionP90Min: percentile(mins('resolution'), 0.9),
  };
}

const COLUMNS: Array<[keyof ReportRow, string]> = [
  ['group', 'group'],
  ['tickets', 'tickets'],
  ['firstResponseAttainmentPct', 'first response met %'],
  ['resolutionAttainmentPct', 'resolution met %'],
  ['breaches', 'breaches'],
  ['firstResponseMedianMin', 'first response median min'],
  ['firstResponseP90Min', 'first response p90 min'],
  ['resolutionMedianMin', 'resolution median min'],
  ['resolutionP90Min', 'resolution p90 min'],
];

/** What a spreadsheet would run as a formula (or DDE) if a text cell began with it. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180 quoting). Numbers are ours and written bare, negative ones too; text may be
 * anyone's (article and question titles, names), so text starting like a formula gets a leading `'`
 * (OWASP's advice against CSV injection: the spreadsheet shows it as text, never evaluates it).
 */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const text = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Render a report as an aligned table, JSON, or CSV (RFC 4180 quoting, formula-looking text neutralised). */
export function formatReport(report: Report, format: 'table' | 'json' | 'csv'): string {
  if (format === 'json') return JSON.stringify(report, null, 2);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  if (format === 'csv') {
    const sla = [COLUMNS.map(([, h]) => h).join(','), ...report.rows.map((r) => COLUMNS.map(([k]) => csvCell(r[k])).join(','))];
    // The deflection and satisfaction figures are tables of their own, each after a blank line.
    const deflection = report.deflection ? ['', ...deflectionCsv(report.deflection, csvCell)] : [];
    const csat = report.csat ? ['', ...csatCsv(report.csat, csvCell)] : [];
    return [...sla, ...deflection, ...csat].join('\n');
  }
  const table = [COLUMNS.map(([, h]) => h), ...report.rows.map((r) => COLUMNS.map(([k]) => cell(r[k]) || '-'))];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const range = `${new Date(report.from).toISOString().slice(0, 10)} to ${new Date(report.to).toISOString().slice(0, 10)}`;
  const backlog = Object.entries(report.backlog)
    .map(([tier, n]) => `${tier} ${n}`)
    .join(', ');
  const deflection = report.deflection ? ['', ...deflectionTable(report.deflection)] : [];
  return [
    `SLA report by ${report.by}, tickets created ${range} (times in business minutes)`,
    ...lines,
    `Backlog now: ${backlog || 'none'}`,
    ...deflection,
    ...(report.csat ? ['', ...csatTable(report.csat)] : []),
  ].join('\n');
}
