/**
 * `/reports`: the figures `/ticket stats` shows (src/capabilities/sla/report.ts, the deflection figures
 * of src/capabilities/kb/figures.ts, satisfaction from src/store/csat.ts), as charts with their numbers
 * beside them: by week over the period, and by tier, priority or agent. Who may see it is `/ticket
 * stats`'s declaration; nothing is recomputed here: each figure is the report's own (satisfaction included).
 */
import { slaReport } from '../../src/capabilities/sla/report.js';
import type { Core } from '../../src/core/work.js';
import type { CsatGrouping } from '../../src/store/csat.js';
import { barChart } from './charts.js';
import { csatSection, deflectionSection, groupSections, pair, weekSections, type Week } from './report-sections.js';
import { dataTable, html, page, type Html, type PageAnswer } from './html.js';
import { refusalOf } from './run-as.js';
import { chromeOf, type Viewer } from './viewer.js';

const WEEK = 7 * 86_400_000;
/** The page groups by who or what; its weeks are the period. */
const GROUPINGS: CsatGrouping[] = ['tier', 'priority', 'agent'];
const WEEK_CHOICES = [1, 2, 4, 8, 12, 26, 52];

interface ReportQuery {
  weeks: number;
  tier?: string;
  by: CsatGrouping;
}

function reportQuery(core: Core, q: URLSearchParams): ReportQuery | string {
  const get = (k: string) => q.get(k)?.trim() || undefined;
  const weeks = get('weeks') ?? '8';
  const tier = get('tier');
  const by = get('by') ?? 'tier';
  if (!/^\d{1,2}$/.test(weeks) || Number(weeks) < 1 || Number(weeks) > 52) return `"${weeks.slice(0, 20)}" is not a number of weeks from 1 to 52.`;
  if (tier !== undefined && !core.directory.tier(tier))
    return `Unknown tier "${tier.slice(0, 20)}": one of ${core.directory.tiers.map((t) => t.id).join(', ')}.`;
  if (!(GROUPINGS as string[]).includes(by)) return `Unknown grouping "${by.slice(0, 20)}": one of tier, priority, agent.`;
  return { weeks: Number(weeks), by: by as CsatGrouping, ...(tier ? { tier } : {}) };
}

async function weekly(core: Core, from: number, weeks: number, tier: string | undefined): Promise<Week[]> {
  const out: Week[] = [];
  for (let i = 0; i < weeks; i++) {
    const range = { from: from + i * WEEK, to: from + (i + 1) * WEEK };
    const r = await slaReport(core, { ...range, by: 'tier', ...(tier ? { tier } : {}) });
    const csat = r.csat?.rows.at(-1) ?? { asked: 0, rated: 0, average: null };
    out.push({ label: new Date(range.from).toISOString().slice(0, 10), all: r.rows.at(-1)!, deflection: r.deflection!, csat });
  }
  return out;
}

export async function reportsHtml(core: Core, v: Viewer, q: URLSearchParams): Promise<PageAnswer> {
  const refused = await refusalOf(core, v, 'ticket', 'stats');
  if (refused) return { status: 403, text: refused };
  const query = reportQuery(core, q);
  if (typeof query === 'string') return { status: 400, text: query };
  const to = core.clock.now() + 1;
  const from = to - query.weeks * WEEK;
  const tierOpt = query.tier ? { tier: query.tier } : {};
  const report = await slaReport(core, { from, to, by: query.by, ...tierOpt });
  const weeks = await weekly(core, from, query.weeks, query.tier);
  const scope = `${query.tier ? `tier ${query.tier}` : 'every tier'}, tickets opened in the last ${query.weeks} week${query.weeks === 1 ? '' : 's'}`;
  const main = html`<h1>Reports</h1>
    ${filters(core, query)}
    <p>SLA figures for ${scope}; times are business minutes. Weeks start on the date shown.</p>
    ${weekSections(weeks)} ${deflectionSection(weeks, report.deflection?.docs ?? [])} ${groupSections(query.by, report.rows)}
    <section aria-labelledby="backlog">
      <h2 id="backlog">Backlog now</h2>
      ${pair(
        barChart({
          id: 'backlog-chart',
          title: 'Active tickets per tier now',
          desc: 'Open, claimed and waiting tickets of each tier.',
          unit: '',
          series: ['active tickets'],
          rows: Object.entries(report.backlog).map(([t, n]) => ({ label: t, values: [n] })),
        }),
        dataTable(
          'Active tickets per tier',
          ['Tier', 'Active tickets'],
          Object.entries(report.backlog).map(([t, n]) => [t, n]),
        ),
      )}
    </section>
    ${csatSection(
      query.by,
      report.csat?.rows.filter((r) => r.group !== 'all'),
      weeks,
    )}`;
  return { status: 200, html: page({ title: 'Reports', who: chromeOf(v), current: '/reports', main }) };
}

function filters(core: Core, query: ReportQuery): Html {
  const option = (value: string, label: string, chosen: boolean) => html`<option value="${value}" ${chosen ? html` selected` : ''}>${label}</option>`;
  return html`<form class="filters" method="get" action="/reports">
    <label
      >Weeks<select name="weeks">
        ${WEEK_CHOICES.map((w) => option(String(w), String(w), w === query.weeks))}
      </select></label
    >
    <label
      >Tier<select name="tier">
        ${option('', 'every tier', query.tier === undefined)}${core.directory.tiers.map((t) => option(t.id, `${t.id} ${t.name}`, t.id === query.tier))}
      </select></label
    >
    <label
      >Group by<select name="by">
        ${GROUPINGS.map((g) => option(g, g, g === query.by))}
      </select></label
    >
    <button type="submit">Show</button>
  </form>`;
}
