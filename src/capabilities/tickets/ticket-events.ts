import { formatInstant } from '../../core/render.js';
import type { Directory } from '../../core/directory.js';

/** Who wrote an event, as stored in `ticket_events.actor`. */
export type { EventActor } from '../../store/events.js';
import type { EventActor } from '../../store/events.js';

/** What a line of history is rendered from. */
export interface EventContext {
  data: Record<string, unknown>;
  actor: EventActor;
  /** True when the event was written by the ticket's requester. */
  byRequester: boolean;
  directory: Directory;
}

type Describe = (c: EventContext) => string;

/**
 * How one kind of ticket event reads. `agents` is the line agents see. `requester` is the line the
 * requester sees, built only from data the requester was already told (a public reply, the
 * resolution); a kind without it is internal and never reaches the requester.
 */
interface EventKind {
  agents: Describe;
  requester?: Describe;
}

const s = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const clockLabel = (clock: unknown) => (clock === 'first_response' ? 'first response' : 'resolution');
const tierName = (c: EventContext, id: unknown) => c.directory.tier(s(id))?.name ?? s(id);

function priorityChanged({ data: d }: EventContext): string {
  const from = d.from as { priority: string };
  const to = d.to as { priority: string; impact: string; urgency: string };
  const sla = d.sla as { policy: string; firstResponseDue: number | null; resolutionDue: number | null } | undefined;
  const due = (at: number | null) => (at ? formatInstant(at) : 'met');
  const dues = sla
    ? `; SLA recomputed from creation (${sla.policy}): first response due ${due(sla.firstResponseDue)}, resolution due ${due(sla.resolutionDue)}`
    : '';
  return `changed the priority from ${from.priority} to ${to.priority} (impact ${to.impact}, urgency ${to.urgency})${dues}`;
}

const late = (d: Record<string, unknown>) => (d.late ? ' [late]' : '');

/**
 * Every kind of ticket event, and whether the requester may see it: the one place that decides
 * what of a ticket's audit log is public. A kind missing here is internal.
 */
const EVENT_KINDS: Record<string, EventKind> = {
  opened: {
    agents: ({ data: d }) => `opened it (${s(d.priority)}, ${s(d.tier)})`,
    requester: ({ data: d }) => `opened it (${s(d.priority)})`,
  },
  claimed: {
    agents: (c) => (c.data.takenOverFrom ? `took it over from ${c.directory.nameOf(s(c.data.takenOverFrom))}` : 'claimed it'),
    requester: () => 'claimed it',
  },
  replied: { agents: ({ data: d }) => `replied: ${s(d.text)}`, requester: ({ data: d }) => `replied: ${s(d.text)}` },
  requester_message: { agents: ({ data: d }) => `wrote: ${s(d.text)}`, requester: ({ data: d }) => `wrote: ${s(d.text)}` },
  note: { agents: ({ data: d }) => `internal note: ${s(d.text)}` },
  waiting: {
    agents: ({ data: d }) => (d.question ? `set it waiting on the requester: ${s(d.question)}` : 'set it waiting on the requester'),
    // The question was sent to the requester as a public reply.
    requester: ({ data: d }) => (d.question ? `set it waiting for your answer: ${s(d.question)}` : 'set it waiting for your answer'),
  },
  resumed: { agents: () => 'answered, so it is back in work', requester: () => 'answered, so it is back in work' },
  escalated: {
    agents: ({ data: d }) => `escalated it from ${s(d.from)} to ${s(d.to)}: ${s(d.reason)}`,
    // The reason is written for agents; the requester was told only where the ticket went.
    requester: (c) => `moved it to ${tierName(c, c.data.to)}`,
  },
  resolved: { agents: ({ data: d }) => `resolved it: ${s(d.resolution)}`, requester: ({ data: d }) => `resolved it: ${s(d.resolution)}` },
  reopened: {
    agents: ({ data: d }) => (d.reason ? `reopened it: ${s(d.reason)}` : 'reopened it'),
    // An agent's reason is for agents; the requester's own reason is theirs to see.
    requester: (c) => (c.byRequester && c.data.reason ? `reopened it: ${s(c.data.reason)}` : 'reopened it'),
  },
  closed: { agents: ({ data: d }) => `closed it (${s(d.reason)})${late(d)}`, requester: ({ data: d }) => `closed it (${s(d.reason)})` },
  priority_changed: { agents: priorityChanged },
  sla_warning: { agents: ({ data: d }) => `SLA warning: ${clockLabel(d.clock)} ${s(d.percent)}% used${late(d)}` },
  sla_breached: {
    agents: ({ data: d }) => `SLA breached: ${clockLabel(d.clock)} was due ${typeof d.dueAt === 'number' ? formatInstant(d.dueAt) : '?'}${late(d)}`,
  },
  page_started: { agents: ({ data: d }) => `paged ${s(d.tier)} through ${s(d.policy)} (${s(d.reason).replace(/_/g, ' ')})` },
  page_notified: { agents: ({ data: d }) => `page step ${Number(d.step) + 1} notified${late(d)}` },
  page_step_skipped: { agents: ({ data: d }) => `page step ${Number(d.step) + 1} found nobody on call` },
  page_acknowledged: { agents: () => 'acknowledged the page' },
  page_passed: { agents: () => 'passed the page on' },
  page_released: { agents: () => 'released the page' },
  page_stopped: { agents: () => 'the page stopped' },
  sla_clock_failed: { agents: ({ data: d }) => `SLA clock not running (${s(d.policy)}): ${s(d.error)}` },
  // The requester's own rating and comment, theirs to see.
  rated: {
    agents: ({ data: d }) => `rated it ${s(d.score)}/5${d.comment ? `: ${s(d.comment)}` : ''}`,
    requester: ({ data: d }) => `rated it ${s(d.score)}/5${d.comment ? `: ${s(d.comment)}` : ''}`,
  },
  from_question: { agents: ({ data: d }) => `made from peer question ${s(d.question)}` },
};

/** Is this kind of event part of the requester's (public) history? Unknown kinds are not. */
export function isPublicEvent(kind: string): boolean {
  return EVENT_KINDS[kind]?.requester !== undefined;
}

/**
 * One line of history for an audience, or undefined when that audience must not see the event.
 * Agents see every event (an unknown kind by its name); the requester sees public kinds only.
 */
export function describeEvent(kind: string, audience: 'agents' | 'requester', c: EventContext): string | undefined {
  const declared = EVENT_KINDS[kind];
  if (audience === 'requester') return declared?.requester?.(c);
  return declared ? declared.agents(c) : kind;
}
