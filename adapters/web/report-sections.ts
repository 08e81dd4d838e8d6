/** The sections of `/reports`: each a chart drawn from the report's figures and a table of the same numbers. */
import type { DocEffectiveness } from '../../src/capabilities/kb/figures.js';
import type { ReportGrouping, ReportRow } from '../../src/capabilities/sla/report.js';
import type { CsatRow } from '../../src/capabilities/csat/figures.js';
import { barChart, lineChart } from './charts.js';
import { dataTable, html, type Html } from './html.js';

/** One week of the period: the report's `all` row, the deflection figures and the satisfaction added up. */
export interface Week {
  label: string;
  all: ReportRow;
  deflection: { offers: number; helped: number; openedAnyway: number; noAnswerYet: number; ratePct: number | null };
  csat: { asked: number; rated: number; average: number | null };
}

export const pair = (chart: Html, table: Html) =>
  html`<div class="pair">
    <figure>${chart}</figure>
    ${table}
  </div>`;

export function weekSections(weeks: Week[]): Html {
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

export function deflectionSection(weeks: Week[], docs: DocEffectiveness[]): Html {
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

export function groupSections(by: ReportGrouping, all: ReportRow[]): Html {
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

/** The report's own satisfaction rows (names and averages as `/ticket stats` prints them), and the weeks'. */
export function csatSection(by: ReportGrouping, groups: CsatRow[] | undefined, weeks: Week[]): Html {
  if (!groups)
    return html`<section aria-labelledby="csat">
      <h2 id="csat">Satisfaction</h2>
      <p>Satisfaction surveys are off (csat.enabled).</p>
    </section>`;
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
        rows: groups.map((g) => ({ label: g.group, values: [g.average] })),
      }),
      dataTable(
        `Satisfaction by ${by}`,
        [by, 'Asked', 'Answered', 'Average', 'Ratings 1 · 2 · 3 · 4 · 5'],
        groups.map((g) => [g.group, g.asked, g.rated, g.average, g.distribution.join(' · ')]),
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
