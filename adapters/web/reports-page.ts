/**
 * `/reports`: the figures `/ticket stats` shows (src/capabilities/sla/report.ts, the deflection figures
 * of src/capabilities/kb/figures.ts, satisfaction from src/store/csat.ts), as charts with their numbers
 * beside them: by week over the period, and by tier, priority or agent. Who may see it is `/ticket
 * stats`'s declaration; nothing is recomputed here but sums of the same figures.
 */
import type { DocEffectiveness } from '../../src/capabilities/kb/figures.js';
import { slaReport, type ReportGrouping, type ReportRow } from '../../src/capabilities/sla/report.js';
import type { Core } from '../../src/core/work.js';
import { csatFigures, type CsatFigures } from '../../src/store/csat.js';
import { barChart, lineChart } from './charts.js';
import { dataTable, html, page, type Html, type PageAnswer } from './html.js';
import { refusalOf } from './run-as.js';
import { chromeOf, type Viewer } from './viewer.js';

const WEEK = 7 * 86_400_000;
const GROUPINGS: ReportGrouping[] = ['tier', 'priority', 'agent'];
const WEEK_CHOICES = [1, 2, 4, 8, 12, 26, 52];

interface ReportQuery {
  weeks: number;
  tier?: string;
  by: ReportGrouping;
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
  return { weeks: Number(weeks), by: by as ReportGrouping, ...(tier ? { tier } : {}) };
}

/** Satisfaction over several groups, as one: counts add up, the average is the distribution's. */
function together(groups: CsatFigures[]): { asked: number; rated: number; average: number | null } {
  const asked = groups.reduce((n, g) => n + g.asked, 0);
  const dist = [0, 1, 2, 3, 4].map((i) => groups.reduce((n, g) => n + g.distribution[i]!, 0));
  const rated = dist.reduce((a, b) => a + b, 0);
  return { asked, rated, average: rated === 0 ? null : Math.round((dist.reduce((s, n, i) => s + n * (i + 1), 0) / rated) * 100) / 100 };
}

interface Week {
  label: string;
  all: ReportRow;
  deflection: { offers: number; helped: number; openedAnyway: number; noAnswerYet: number; ratePct: number | null };
  csat: ReturnType<typeof together>;
}

async function weekly(core: Core, from: number, weeks: number, tier: string | undefined): Promise<Week[]> {
  const out: Week[] = [];
  for (let i = 0; i < weeks; i++) {
    const range = { from: from + i * WEEK, to: from + (i + 1) * WEEK };
    const r = await slaReport(core, { ...range, by: 'tier', ...(tier ? { tier } : {}) });
    const csat = core.config.csat.enabled ? together(await csatFigures(core.db, range.from, range.to, 'tier', tier)) : together([]);
    out.push({ label: new Date(range.from).toISOString().slice(0, 10), all: r.rows.at(-1)!, deflection: r.deflection!, csat });
  }
  return out;
}

const pair = (chart: Html, table: Html) =>
  html`<div class="pair">
    <figure>${chart}</figure>
    ${table}
  </div>`;

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
  const csat = core.config.csat.enabled ? await csatFigures(core.db, from, to, query.by, query.tier) : undefined;
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
    ${csatSection(core, query.by, csat, weeks)}`;
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

function weekSections(weeks: Week[]): Html {
  const labels = weeks.map((w) => w.label.slice(5));
  const rows = weeks.map((w) => [
    w.label,
    w.all.tickets,
    w.all.firstResponseAttainmentPct,
    w.all.resolutionAttainmentPct,
    w.all.breaches,
    w.all.firstResponseMedianMin,
    w.all.resolutionMedianMin,
  ]);
  const maxMin = Math.max(1, ...weeks.flatMap((w) => [w.all.firstResponseMedianMin ?? 0, w.all.resolutionMedianMin ?? 0]));
  return html`<section aria-labelledby="by-week">
    <h2 id="by-week">SLA by week</h2>
    ${pair(
      lineChart({
        id: 'attainment-weeks',
        title: 'SLA attainment by week',
        desc: 'Share of decided clocks met, first response and resolution, for the tickets opened each week.',
        unit: '%',
        labels,
        max: 100,
        series: [
          { name: 'first response met', values: weeks.map((w) => w.all.firstResponseAttainmentPct) },
          { name: 'resolution met', values: weeks.map((w) => w.all.resolutionAttainmentPct) },
        ],
      }),
      dataTable(
        'SLA by week',
        ['Week', 'Tickets', 'First response met %', 'Resolution met %', 'Breaches', 'First response median', 'Resolution median'],
        rows,
      ),
    )}
    ${pair(
      barChart({
        id: 'breaches-weeks',
        title: 'SLA breaches by week',
        desc: 'Clocks breached, first response and resolution together, for the tickets opened each week.',
        unit: '',
        series: ['breaches'],
        rows: weeks.map((w) => ({ label: w.label, values: [w.all.breaches] })),
      }),
      dataTable(
        'Breaches by week',
        ['Week', 'Breaches'],
        weeks.map((w) => [w.label, w.all.breaches]),
      ),
    )}
    ${pair(
      lineChart({
        id: 'times-weeks',
        title: 'Median first response and resolution time by week',
        desc: 'Business minutes to the first response and to resolution, median of the tickets opened each week whose clock stopped.',
        unit: '',
        labels,
        max: maxMin,
        series: [
          { name: 'first response', values: weeks.map((w) => w.all.firstResponseMedianMin) },
          { name: 'resolution', values: weeks.map((w) => w.all.resolutionMedianMin) },
        ],
      }),
      dataTable(
        'Median minutes by week',
        ['Week', 'First response median', 'Resolution median'],
        weeks.map((w) => [w.label, w.all.firstResponseMedianMin, w.all.resolutionMedianMin]),
      ),
    )}
  </section>`;
}

function deflectionSection(weeks: Week[], docs: DocEffectiveness[]): Html {
  return html` <section aria-labelledby="deflection">
    <h2 id="deflection">Deflection by week</h2>
    <p>Articles and solved questions offered before a ticket, and what came of them (every tier: an offer comes before a ticket has one).</p>
    ${pair(
      barChart({
        id: 'deflection-weeks',
        title: 'Deflection offers by week',
        desc: 'Offers that helped, after which a ticket was opened anyway, or not answered yet, per week.',
        unit: '',
        series: ['helped', 'opened anyway', 'no answer yet'],
        rows: weeks.map((w) => ({ label: w.label, values: [w.deflection.helped, w.deflection.openedAnyway, w.deflection.noAnswerYet] })),
      }),
      dataTable(
        'Deflection by week',
        ['Week', 'Offers', 'Helped', 'Opened anyway', 'No answer yet', 'Helped %'],
        weeks.map((w) => [
          w.label,
          w.deflection.offers,
          w.deflection.helped,
          w.deflection.openedAnyway,
          w.deflection.noAnswerYet,
          w.deflection.ratePct,
        ]),
      ),
    )}
    ${
      docs.length === 0
        ? ''
        : dataTable(
            'What was offered, over the period',
            ['Document', 'Offers', 'Helped', 'Opened anyway', 'No answer yet'],
            docs.slice(0, 20).map((d) => [`${d.doc} ${d.title}`, d.offers, d.helped, d.openedAnyway, d.noAnswerYet]),
          )
    }
  </section>`;
}

function groupSections(by: ReportGrouping, all: ReportRow[]): Html {
  const rows = all.filter((r) => r.group !== 'all');
  return html`<section aria-labelledby="by-group">
    <h2 id="by-group">By ${by}</h2>
    ${pair(
      barChart({
        id: 'attainment-groups',
        title: `SLA attainment by ${by}`,
        desc: `Share of decided clocks met, first response and resolution, per ${by}.`,
        unit: '%',
        max: 100,
        series: ['first response met', 'resolution met'],
        rows: rows.map((r) => ({ label: r.group, values: [r.firstResponseAttainmentPct, r.resolutionAttainmentPct] })),
      }),
      dataTable(
        `SLA by ${by}`,
        [by, 'Tickets', 'First response met %', 'Resolution met %', 'Breaches'],
        all.map((r) => [r.group, r.tickets, r.firstResponseAttainmentPct, r.resolutionAttainmentPct, r.breaches]),
      ),
    )}
    ${pair(
      barChart({
        id: 'times-groups',
        title: `Median first response and resolution time by ${by}`,
        desc: `Business minutes, median over the tickets whose clock stopped, per ${by}.`,
        unit: ' min',
        series: ['first response', 'resolution'],
        rows: rows.map((r) => ({ label: r.group, values: [r.firstResponseMedianMin, r.resolutionMedianMin] })),
      }),
      dataTable(
        `Times by ${by} (business minutes)`,
        [by, 'First response median', 'First response p90', 'Resolution median', 'Resolution p90'],
        all.map((r) => [r.group, r.firstResponseMedianMin, r.firstResponseP90Min, r.resolutionMedianMin, r.resolutionP90Min]),
      ),
    )}
  </section>`;
}

function csatSection(core: Core, by: ReportGrouping, groups: CsatFigures[] | undefined, weeks: Week[]): Html {
  if (!groups)
    return html`<section aria-labelledby="csat">
      <h2 id="csat">Satisfaction</h2>
      <p>Satisfaction surveys are off (csat.enabled).</p>
    </section>`;
  const name = (g: CsatFigures) => (by === 'agent' ? core.directory.nameOf(g.group === 'unassigned' ? undefined : g.group) : g.group);
  const avg = (g: CsatFigures) => (g.average === undefined ? null : Math.round(g.average * 100) / 100);
  return html`<section aria-labelledby="csat">
    <h2 id="csat">Satisfaction</h2>
    ${pair(
      barChart({
        id: 'csat-groups',
        title: `Average rating by ${by}`,
        desc: `Requesters' ratings of resolutions from 1 (poor) to 5 (great), average per ${by}.`,
        unit: '/5',
        max: 5,
        series: ['average rating'],
        rows: groups.map((g) => ({ label: name(g), values: [avg(g)] })),
      }),
      dataTable(
        `Satisfaction by ${by}`,
        [by, 'Asked', 'Answered', 'Average', 'Ratings 1 · 2 · 3 · 4 · 5'],
        groups.map((g) => [name(g), g.asked, g.rated, avg(g), g.distribution.join(' · ')]),
      ),
    )}
    ${pair(
      lineChart({
        id: 'csat-weeks',
        title: 'Average rating by week',
        desc: 'Requesters’ ratings from 1 to 5, average of the surveys asked each week.',
        unit: '',
        labels: weeks.map((w) => w.label.slice(5)),
        max: 5,
        series: [{ name: 'average rating', values: weeks.map((w) => w.csat.average) }],
      }),
      dataTable(
        'Satisfaction by week',
        ['Week', 'Asked', 'Answered', 'Average'],
        weeks.map((w) => [w.label, w.csat.asked, w.csat.rated, w.csat.average]),
      ),
    )}
  </section>`;
}
