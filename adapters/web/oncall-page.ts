/**
 * `/oncall`: who is on call now per tier (what `/oncall` says), a two-week timeline per schedule (each
 * layer, the overrides, and who is on call in the end, all from the pure schedule functions), the page
 * log for agents and leads, and, for leads, the override form: it runs `/oncall override`.
 */
import { DateTime } from 'luxon';
import { currentSchedules } from '../../src/capabilities/oncall/schedules.js';
import { REASON_TEXT } from '../../src/capabilities/oncall/paging.js';
import { canSee } from '../../src/capabilities/tickets/access.js';
import { ticketFromRow } from '../../src/capabilities/tickets/ticket-model.js';
import { onCallByTier, onCallNames as names, schedulesLedBy } from '../../src/capabilities/oncall/view.js';
import { formatInstant } from '../../src/core/render.js';
import type { Core } from '../../src/core/work.js';
import { shifts, type Schedule, type Shift } from '../../src/domain/oncall-schedule.js';
import { recentPages } from '../../src/store/pages.js';
import { ticketsByNumbers } from '../../src/store/web.js';
import { dataTable, html, page, type Html, type PageAnswer } from './html.js';
import { refusalOf } from './run-as.js';
import { chromeOf, type Viewer } from './viewer.js';

const DAY = 86_400_000;
const SPAN_DAYS = 14;
/** Light fills (dark text on each has over 7:1 contrast); the name is written in every bar, so colour only helps. */
const FILLS = ['#dbeafe', '#fde68a', '#d1fae5', '#fce7f3', '#e0e7ff', '#fee2e2'];

export async function oncallHtml(core: Core, v: Viewer, flash?: string): Promise<PageAnswer> {
  const refused = await refusalOf(core, v, 'oncall', 'now');
  if (refused) return { status: 403, text: refused };
  const now = core.clock.now();
  const schedules = await currentSchedules(core, core.db);
  const mayOverride = (await refusalOf(core, v, 'oncall', 'override')) === undefined;
  const led = mayOverride ? schedulesLedBy(core, v.actor, schedules) : [];
  const main = html`<h1>On call</h1>
    ${flash ? html`<p class="flash" role="status">${flash}</p>` : ''} ${nowTable(core, now, schedules)}
    ${[...schedules.values()].map((s) => timeline(core, s, now))} ${led.length > 0 ? overrideForm(core, v, led, now) : ''}
    ${v.staff ? await pageLog(core, v) : ''}`;
  return { status: 200, html: page({ title: 'On call', who: chromeOf(v), current: '/oncall', main }) };
}

function nowTable(core: Core, now: number, schedules: ReadonlyMap<string, Schedule>): Html {
  const rows = onCallByTier(core, now, schedules);
  if (rows.length === 0) return html`<p>No tier has an on-call schedule (tiers[].oncall_schedule or an escalation policy with a schedule step).</p>`;
  return html`<section aria-labelledby="now">
    <h2 id="now">On call now</h2>
    ${dataTable(
      `At ${formatInstant(now)}`,
      ['Tier', 'Schedule', 'On call', 'Until', 'Next'],
      rows.map((t) => [
        `${t.tier} ${t.tierName}`,
        t.schedule,
        names(core, t.users),
        t.until !== undefined ? formatInstant(t.until) : 'until further notice',
        t.next ? `${names(core, t.next.users)}${t.until !== undefined && t.next.from > t.until ? ` from ${formatInstant(t.next.from)}` : ''}` : '—',
      ]),
    )}
  </section>`;
}

/** One layer on its own: the same schedule without the other layers and without overrides. */
function layerOnly(s: Schedule, i: number): Schedule {
  return { ...s, layers: [s.layers[i]!], overrides: [], overrideEdges: new Float64Array(0), overrideUsers: [] };
}

function timeline(core: Core, s: Schedule, now: number): Html {
  const from = DateTime.fromMillis(now, { zone: s.zone }).startOf('day').toMillis();
  const to = from + SPAN_DAYS * DAY;
  const overrides = s.overrides.filter((o) => o.from < to && o.to > from).map((o) => ({ users: [o.user], from: o.from, to: o.to }));
  const rows: Array<{ label: string; shifts: Shift[] }> = [
    ...s.layers.map((l, i) => ({ label: `layer ${l.name}`, shifts: shifts(layerOnly(s, i), from, to) })),
    { label: 'overrides', shifts: overrides },
    { label: 'on call', shifts: shifts(s, from, to) },
  ];
  const id = `timeline-${s.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const left = 130;
  const dayW = 54;
  const rowH = 30;
  const top = 34;
  const x = (ms: number) => left + ((Math.min(Math.max(ms, from), to) - from) / DAY) * dayW;
  const people = [...new Set(rows.flatMap((r) => r.shifts.flatMap((sh) => sh.users)))];
  const fill = (users: readonly string[]) => FILLS[people.indexOf(users[0]!) % FILLS.length]!;
  const days = Array.from({ length: SPAN_DAYS }, (_, i) => {
    const day = DateTime.fromMillis(from, { zone: s.zone }).plus({ days: i });
    return html`<line x1="${left + i * dayW}" y1="${top - 4}" x2="${left + i * dayW}" y2="${top + rows.length * rowH}" stroke="#d0d7de" />
      <text x="${left + i * dayW + 3}" y="${top - 8}" font-size="11" fill="#57606a">${day.toFormat('ccc d')}</text>`;
  });
  const bars = rows.map((r, ri) => {
    const y = top + ri * rowH + 3;
    const shiftBars = r.shifts.map((sh) => {
      const w = Math.max(2, x(sh.to) - x(sh.from));
      const who = names(core, sh.users);
      const fits = Math.floor((w - 6) / 6.5);
      return html`<g class="shift" data-row="${r.label}" data-who="${who}">
        <title>${r.label}: ${who}, ${formatInstant(sh.from)} to ${formatInstant(sh.to)}</title>
        <rect
          x="${x(sh.from).toFixed(1)}"
          y="${y}"
          width="${w.toFixed(1)}"
          height="${rowH - 6}"
          rx="3"
          fill="${fill(sh.users)}"
          stroke="#57606a"
          ${r.label === 'overrides' ? html` stroke-dasharray="4 2"` : ''}
        />
        ${fits >= 3 ? html`<text x="${(x(sh.from) + 4).toFixed(1)}" y="${y + 16}" font-size="11" fill="#1b1f23">${clip(who, fits)}</text>` : ''}
      </g>`;
    });
    return html`<text x="${left - 6}" y="${y + 16}" font-size="12" text-anchor="end" fill="#1b1f23">${clip(r.label, 18)}</text>${shiftBars}`;
  });
  const nowX = x(now).toFixed(1);
  const height = top + rows.length * rowH + 8;
  const finalShifts = rows.at(-1)!.shifts;
  return html`<section aria-labelledby="${id}-h">
    <h2 id="${id}-h">${s.name}: the next two weeks</h2>
    <p>Times in ${s.zone}; a later layer wins where it has someone, an override wins over every layer.</p>
    <figure class="timeline">
      <svg class="chart" viewBox="0 0 ${left + SPAN_DAYS * dayW + 10} ${height}" role="img" aria-labelledby="${id}-t ${id}-d" data-chart="${id}">
        <title id="${id}-t">${s.name}, on call from ${formatInstant(from)} for two weeks</title>
        <desc id="${id}-d">One row per layer, one for the overrides and one for who is on call in the end; each bar names who.</desc>
        ${days}${bars}
        <line x1="${nowX}" y1="${top - 4}" x2="${nowX}" y2="${height - 4}" stroke="#a40e26" stroke-width="2" stroke-dasharray="3 2" />
        <text x="${nowX}" y="${height}" font-size="10" fill="#a40e26" text-anchor="middle">now</text>
      </svg>
    </figure>
    ${dataTable(
      `${s.name}: who is on call, ${formatInstant(from)} to ${formatInstant(to)}`,
      ['From', 'To', 'On call', 'By'],
      finalShifts.map((sh) => [
        formatInstant(sh.from),
        formatInstant(sh.to),
        names(core, sh.users),
        overrides.some((o) => o.from <= sh.from && sh.to <= o.to && o.users[0] === sh.users[0]) ? 'override' : 'rotation',
      ]),
    )}
  </section>`;
}

function overrideForm(core: Core, v: Viewer, led: string[], now: number): Html {
  const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  const hour = Math.ceil(now / 3_600_000) * 3_600_000;
  return html`<section aria-labelledby="override">
    <h2 id="override">Put someone on call</h2>
    <form class="action" method="post" action="/oncall/override" aria-label="Override">
      <input type="hidden" name="_csrf" value="${v.session.csrf}" />
      <label
        >Who goes on call<select name="user" required>
          ${core.directory.people.map((p) => html`<option value="${p.id}">${p.name ?? p.id}</option>`)}
        </select></label
      >
      <label>From (UTC)<input type="datetime-local" name="from" required value="${local(hour)}" /></label>
      <label>To (UTC)<input type="datetime-local" name="to" required value="${local(hour + 12 * 3_600_000)}" /></label>
      <label
        >Schedule<select name="schedule">
          ${led.map((n) => html`<option value="${n}">${n}</option>`)}
        </select></label
      >
      <button class="primary" type="submit">Override</button>
    </form>
  </section>`;
}

/** The newest pages; a ticket's title only to who may see the ticket (a lead who is no agent sees its number). */
async function pageLog(core: Core, v: Viewer): Promise<Html> {
  const pages = await recentPages(core.db, 50);
  if (pages.length === 0)
    return html`<section aria-labelledby="log">
      <h2 id="log">Page log</h2>
      <p>No page yet.</p>
    </section>`;
  const tickets = (await ticketsByNumbers(core.db, [...new Set(pages.map((p) => p.ticket))])).map(ticketFromRow);
  const titles = new Map(tickets.filter((t) => canSee(core, v.actor, t)).map((t) => [t.number, t.title]));
  const rows = pages.map((p) => {
    const state = p.state.status === 'acknowledged' ? `acknowledged by ${core.directory.nameOf(p.state.by)}` : p.state.status;
    return html`<tr>
      <td>${formatInstant(p.startedAt)}</td>
      <td>${titles.has(p.ticket) ? html`<a href="/tickets/${p.ticket}">#${p.ticket} ${titles.get(p.ticket)}</a>` : `#${p.ticket}`}</td>
      <td>${p.tier}</td>
      <td>${REASON_TEXT[p.reason] ?? p.reason}</td>
      <td>${state}</td>
    </tr>`;
  });
  return html`<section aria-labelledby="log">
    <h2 id="log">Page log</h2>
    <table>
      <caption>
        The newest ${pages.length} pages
      </caption>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Ticket</th>
          <th scope="col">Tier</th>
          <th scope="col">Why</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </section>`;
}

/** An override form's times are UTC wall times (`datetime-local`): the use case wants an instant with its zone. */
export function overrideArgs(form: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(form);
  for (const k of ['from', 'to']) {
    const value = form.get(k)?.trim();
    if (value && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) out.set(k, `${value}Z`);
  }
  return out;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}
