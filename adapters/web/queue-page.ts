/**
 * `/`: the queue. Agents see the active tickets of their tiers, leads every tier, requesters their
 * own tickets; the next SLA deadline first; filters; pages of 50, so 10,000 open tickets stay usable.
 */
import { slaSnapshot } from '../../src/capabilities/sla/clocks.js';
import { ticketFromRow } from '../../src/capabilities/tickets/ticket-model.js';
import type { Core } from '../../src/core/work.js';
import { formatBusinessTime } from '../../src/domain/sla.js';
import { queuePage, type QueueFilter } from '../../src/store/web.js';
import { html, page, type Html } from './html.js';
import { chromeOf, type Viewer } from './viewer.js';

export const PAGE_SIZE = 50;
const ACTIVE = ['open', 'claimed', 'waiting_on_requester'];
const STATUSES = [...ACTIVE, 'resolved', 'closed'];
const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'];

/** A request the page cannot answer: said in one line, with status 400. */
export class BadQuery extends Error {
  constructor(
    message: string,
    /** The query parameter at fault. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The filter from the query string, checked: an unknown value is refused by name. */
export function queueFilter(core: Core, v: Viewer, q: URLSearchParams): { filter: QueueFilter; page: number; shown: Record<string, string> } {
  const get = (k: string) => q.get(k)?.trim() || undefined;
  const tier = get('tier');
  const status = get('status');
  const priority = get('priority');
  const assignee = get('assignee');
  const pageNo = get('page') ?? '1';
  if (tier !== undefined && !v.queueTiers.includes(tier))
    throw new BadQuery(`Unknown tier "${tier.slice(0, 20)}": yours are ${v.queueTiers.join(', ') || 'none'}.`, 'tier');
  if (status !== undefined && !STATUSES.includes(status))
    throw new BadQuery(`Unknown status "${status.slice(0, 20)}": one of ${STATUSES.join(', ')}.`, 'status');
  if (priority !== undefined && !PRIORITIES.includes(priority))
    throw new BadQuery(`Unknown priority "${priority.slice(0, 20)}": one of P1..P5.`, 'priority');
  if (assignee !== undefined && assignee !== 'none' && !core.directory.person(assignee))
    throw new BadQuery(`Unknown assignee "${assignee.slice(0, 40)}".`, 'assignee');
  if (!/^\d{1,6}$/.test(pageNo) || Number(pageNo) < 1) throw new BadQuery(`"${pageNo.slice(0, 20)}" is not a page number.`, 'page');
  const n = Number(pageNo);
  const filter: QueueFilter = {
    statuses: status ? [status] : v.staff ? ACTIVE : STATUSES,
    ...(v.staff ? { tiers: tier ? [tier] : v.queueTiers } : { requesters: core.directory.identitiesOf(v.personId) }),
    ...(priority ? { priority } : {}),
    ...(assignee ? { assignee } : {}),
    limit: PAGE_SIZE,
    offset: (n - 1) * PAGE_SIZE,
  };
  const shown: Record<string, string> = {};
  for (const [k, val] of Object.entries({ tier, status, priority, assignee })) if (val !== undefined) shown[k] = val;
  return { filter, page: n, shown };
}

export async function queueHtml(core: Core, v: Viewer, q: URLSearchParams): Promise<string> {
  const { filter, page: n, shown } = queueFilter(core, v, q);
  const { rows, total } = await queuePage(core.db, filter);
  const now = core.clock.now();
  const lines = await Promise.all(
    rows.map(async (r) => {
      const t = ticketFromRow(r);
      const left = await timeLeft(core, t, now);
      return html`<tr>
        <td>#${t.number}</td>
        <td><a href="/tickets/${t.number}">${t.title}</a></td>
        <td>${t.priority}</td>
        <td>${t.status.replace(/_/g, ' ')}</td>
        <td>${t.tier}</td>
        <td>${t.assigneeName ?? (t.assignee ? core.directory.nameOf(t.assignee) : 'nobody')}</td>
        <td class="${left.cls}">${left.text}</td>
      </tr>`;
    }),
  );
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const heading = v.staff ? (v.role === 'lead' ? 'Every tier' : `Queue of ${v.queueTiers.join(', ')}`) : 'Your tickets';
  const table =
    rows.length === 0
      ? html`<p>No tickets match.</p>`
      : html`<table>
          <caption>
            ${total} ticket${total === 1 ? '' : 's'}, next SLA deadline first · page ${n} of ${pages}
          </caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Title</th>
              <th scope="col">Priority</th>
              <th scope="col">Status</th>
              <th scope="col">Tier</th>
              <th scope="col">Assignee</th>
              <th scope="col">Time left</th>
            </tr>
          </thead>
          <tbody>
            ${lines}
          </tbody>
        </table>`;
  const main = html`<h1>${heading}</h1>
    ${filters(core, v, shown)}
    <div id="live">${table}${pager(shown, n, pages)}</div>`;
  return page({ title: heading, who: chromeOf(v), current: '/', main });
}

async function timeLeft(core: Core, t: ReturnType<typeof ticketFromRow>, now: number): Promise<{ text: string; cls: string }> {
  const snap = await slaSnapshot(core, core.db, t, now);
  if (!snap) return { text: '—', cls: '' };
  const running = Object.values(snap.clocks).filter((c) => c.state === 'running' || (c.state === 'breached' && c.dueAt !== undefined));
  const live = Object.entries(snap.clocks).filter(
    ([name, c]) => snap.inputs[name as keyof typeof snap.inputs].stoppedAt === undefined && c.state !== 'met',
  );
  if (live.some(([, c]) => c.state === 'breached')) return { text: 'breached', cls: 'breached' };
  if (live.length > 0 && live.every(([, c]) => c.state === 'paused')) return { text: 'paused', cls: '' };
  const next = running.sort((a, b) => a.remainingSeconds - b.remainingSeconds)[0];
  return next ? { text: formatBusinessTime(next.remainingSeconds), cls: next.remainingSeconds < 3600 ? 'warning' : '' } : { text: '—', cls: '' };
}

function select(name: string, label: string, options: string[], chosen: string | undefined, labels: Record<string, string> = {}): Html {
  return html`<label
    >${label}<select name="${name}">
      <option value="">any</option>
      ${options.map((o) => html`<option value="${o}" ${o === chosen ? html` selected` : ''}>${labels[o] ?? o.replace(/_/g, ' ')}</option>`)}
    </select></label
  >`;
}

function filters(core: Core, v: Viewer, shown: Record<string, string>): Html {
  const agents = [...new Set(core.directory.tiers.filter((t) => v.queueTiers.includes(t.id)).flatMap((t) => t.agents))];
  const names: Record<string, string> = { none: 'nobody' };
  for (const a of agents) names[a] = core.directory.nameOf(a);
  return html`<form class="filters" method="get" action="/">
    ${v.staff ? select('tier', 'Tier', v.queueTiers, shown.tier) : ''} ${select('status', 'Status', STATUSES, shown.status)}
    ${select('priority', 'Priority', PRIORITIES, shown.priority)}
    ${v.staff ? select('assignee', 'Assignee', ['none', ...agents], shown.assignee, names) : ''}
    <button type="submit">Filter</button>
  </form>`;
}

function pager(shown: Record<string, string>, n: number, pages: number): Html {
  if (pages <= 1) return html``;
  const link = (to: number, text: string) => html`<a href="/?${new URLSearchParams({ ...shown, page: String(to) }).toString()}">${text}</a>`;
  return html`<nav aria-label="Pages" class="pager">
    ${n > 1 ? link(n - 1, '← Previous') : ''} Page ${n} of ${pages} ${n < pages ? link(n + 1, 'Next →') : ''}
  </nav>`;
}
