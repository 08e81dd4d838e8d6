/**
 * `/tickets/N`: the fields, SLA clocks, conversation (notes for agents only) and history, with the
 * actions as forms. Each form's fields come from the sub-command's declaration; what it runs is
 * the same command chat runs (adapters/web/actions.ts).
 */
import { slaFields, slaSnapshot } from '../../src/capabilities/sla/clocks.js';
import { loadTicket, type Ticket } from '../../src/capabilities/tickets/ticket-model.js';
import { ticketHistory } from '../../src/capabilities/tickets/view-tickets.js';
import type { ArgSpec } from '../../src/core/capability.js';
import { choicesOf, findSub } from '../../src/core/catalogue.js';
import { formatInstant } from '../../src/core/render.js';
import { canSee, notYoursText, viewOf } from '../../src/capabilities/tickets/access.js';
import type { Core } from '../../src/core/work.js';
import { listEvents } from '../../src/store/events.js';
import { buildTranscript } from '../../src/capabilities/transcripts/transcript.js';
import { transcriptFile } from '../../src/capabilities/transcripts/send.js';
import type { OutboundFile } from '../../src/ports.js';
import { html, page, type Html } from './html.js';
import { chromeOf, type Viewer } from './viewer.js';

/** What an agent may do from the page, in the order shown; requesters have their own. */
export const AGENT_ACTIONS = ['claim', 'reply', 'note', 'wait', 'escalate', 'resolve', 'priority'] as const;
export const REQUESTER_ACTIONS = ['message', 'rate', 'confirm', 'reopen'] as const;

export type TicketAnswer = { status: 200; html: string } | { status: 200; file: OutboundFile } | { status: 403 | 404; text: string };

/**
 * `/tickets/N/transcript`: the transcript as the self-contained HTML file chat sends, the copy the
 * viewer may read (agents and leads the whole, the requester the public words), to download.
 */
export async function transcriptDownload(core: Core, v: Viewer, number: number): Promise<TicketAnswer> {
  const t = await loadTicket(core.db, number).catch(() => undefined);
  if (!t) return { status: 404, text: `There is no ticket #${number}.` };
  if (!canSee(core, v.actor, t)) return { status: 403, text: notYoursText(number) };
  return { status: 200, file: transcriptFile(await buildTranscript(core, core.db, number, viewOf(core, v.actor), core.clock.now())) };
}

export async function ticketHtml(core: Core, v: Viewer, number: number, flash?: string): Promise<TicketAnswer> {
  let t: Ticket;
  try {
    t = await loadTicket(core.db, number);
  } catch {
    return { status: 404, text: `There is no ticket #${number}.` };
  }
  if (!canSee(core, v.actor, t)) return { status: 403, text: notYoursText(number) };
  const sla = slaFields(await slaSnapshot(core, core.db, t, core.clock.now()));
  const history = (await ticketHistory(core, v.actor, number)).card?.text ?? '';
  const fields: Array<[string, string]> = [
    ['Status', t.status.replace(/_/g, ' ')],
    ['Priority', `${t.priority} (impact ${t.impact}, urgency ${t.urgency})`],
    ['Tier', t.tier],
    ['Assignee', t.assigneeName ?? (t.assignee ? core.directory.nameOf(t.assignee) : 'nobody')],
    ['Requester', t.requester.name],
    ['Opened', formatInstant(t.createdAt)],
    ...(t.category ? [['Category', t.category] as [string, string]] : []),
    ...(t.product ? [['Product', `${t.product}${t.version ? ` ${t.version}` : ''}`] as [string, string]] : []),
    ...sla.map((f): [string, string] => [f.label, f.value]),
  ];
  const main = html`<h1>#${t.number} ${t.title}</h1>
    ${flash ? html`<p class="flash" role="status">${flash}</p>` : ''}
    <div id="live">
      <section aria-labelledby="f">
        <h2 id="f">Details</h2>
        <dl class="fields">
          ${fields.map(
            ([k, val]) =>
              html`<dt>${k}</dt>
                <dd>${val}</dd>`,
          )}
        </dl>
      </section>
      <section aria-labelledby="c">
        <h2 id="c">Conversation</h2>
        ${await conversation(core, v, t)}
      </section>
      <section aria-labelledby="a">
        <h2 id="a">Actions</h2>
        ${actions(core, v, t)}
      </section>
      <section aria-labelledby="h">
        <h2 id="h">History</h2>
        <pre class="history">${history}</pre>
        <p><a href="/tickets/${t.number}/transcript" download>Download the transcript</a> (HTML, readable offline)</p>
      </section>
    </div>`;
  return { status: 200, html: page({ title: `#${t.number} ${t.title}`, who: chromeOf(v), ticket: t.number, main }) };
}

async function conversation(core: Core, v: Viewer, t: Ticket): Promise<Html> {
  const items: Html[] = [html`<div class="msg"><strong>${t.requester.name}</strong> opened it: ${t.description || t.title}</div>`];
  const notes = viewOf(core, v.actor) === 'agents';
  for (const e of await listEvents(core.db, t.number)) {
    const who = e.actor.name ?? 'tierdesk';
    const d = e.data;
    const text =
      typeof d.text === 'string' ? d.text : typeof d.question === 'string' ? d.question : typeof d.resolution === 'string' ? d.resolution : undefined;
    const at = formatInstant(e.at);
    if (e.kind === 'note' && notes) items.push(html`<div class="msg note"><strong>${who}</strong> · internal note · ${at}<br />${text}</div>`);
    else if (['replied', 'requester_message', 'waiting', 'resolved'].includes(e.kind) && text !== undefined)
      items.push(html`<div class="msg"><strong>${who}</strong> · ${at}${e.kind === 'resolved' ? ' · resolution' : ''}<br />${text}</div>`);
  }
  return html`${items}`;
}

function actions(core: Core, v: Viewer, t: Ticket): Html {
  const forms: Html[] = [];
  if (v.agent) {
    const inTier = core.directory.isAgentOf(v.actor, t.tier);
    for (const name of AGENT_ACTIONS) if (inTier || name === 'reply' || name === 'note') forms.push(declaredForm(core, v, t, name));
  }
  if (!v.agent || core.directory.samePerson(t.requester, v.actor.person)) {
    if (t.status !== 'closed')
      forms.push(form(v, t, 'message', 'Reply', html`<label>Your message<textarea name="text" required maxlength="4000"></textarea></label>`));
    if (t.status === 'resolved') for (const name of ['rate', 'confirm'] as const) forms.push(declaredForm(core, v, t, name));
    if (t.status === 'resolved' || t.status === 'closed') forms.push(declaredForm(core, v, t, 'reopen'));
  }
  return forms.length > 0 ? html`${forms}` : html`<p>Nothing to do here.</p>`;
}

/** A form whose fields are the sub-command's declared arguments (the ticket number aside). */
function declaredForm(core: Core, v: Viewer, t: Ticket, name: string): Html {
  const sub = findSub(core.catalogue.command('ticket')!, name);
  if (!sub) return html``;
  const inputs = (sub.args ?? []).filter((a) => a.name !== 'number').map((a) => input(core, a));
  const label = name.charAt(0).toUpperCase() + name.slice(1);
  return form(v, t, name, label, html`${inputs}`);
}

function input(core: Core, a: ArgSpec): Html {
  const label = a.label ?? a.summary;
  const choices = choicesOf(a, core.config);
  if (a.kind === 'boolean')
    return html`<label
      ><span><input type="checkbox" name="${a.name}" value="true" /> ${label}</span></label
    >`;
  if (choices)
    return html`<label
      >${label}<select name="${a.name}" ${a.required ? html` required` : ''}>
        ${a.required ? '' : html`<option value="">—</option>`}${choices.map((c) => html`<option value="${c.value}">${c.label}</option>`)}
      </select></label
    >`;
  const req = a.required ? html` required` : '';
  return a.kind === 'text'
    ? html`<label>${label}<textarea name="${a.name}" maxlength="${a.maxLength ?? 4000}" ${req}></textarea></label>`
    : html`<label>${label}<input name="${a.name}" maxlength="${a.maxLength ?? 200}" ${req} /></label>`;
}

function form(v: Viewer, t: Ticket, action: string, label: string, fields: Html): Html {
  return html`<form class="action" method="post" action="/tickets/${t.number}/${action}" aria-label="${label} #${t.number}">
    <input type="hidden" name="_csrf" value="${v.session.csrf}" />${fields}<button
      type="submit"
      ${action === 'claim' || action === 'resolve' ? html` class="primary"` : ''}
    >
      ${label}
    </button>
  </form>`;
}
