/**
 * On call: `/oncall` (who is on call, a schedule's week, overrides, acknowledging a page), the page
 * sub-commands of `/ticket`, the page buttons, and the timers that ring pages and move handoffs.
 */
import type { Capability, SubcommandSpec } from '../../core/capability.js';
import type { Request } from '../../core/request.js';
import { inTransaction, type Core } from '../../core/work.js';
import { UserError } from '../../domain/errors.js';
import { TICKET, num } from '../tickets/commands.js';
import { armHandoffs, handoffFired, HANDOFF_TIMER } from './handoffs.js';
import { syncHandles } from './handles.js';
import { pageCommand } from './page-ticket.js';
import { PAGE_TIMER, pageTimerFired } from './paging.js';
import { ackLatest, assertLeadsATier, oncallNow, oncallWeek, overrideSchedule } from './view.js';

const PAGE_VERBS = {
  page: "page the tier's on-call (its escalation policy)",
  ack: 'acknowledge a page: it stops climbing',
  release: 'give an acknowledged page back: it climbs again',
  pass: 'send a page to its next step now',
} as const;

/** Any agent may: the person paged may not be in the ticket's tier. */
async function anyAgent(core: Core, req: Request): Promise<void> {
  if (!core.directory.isAgent(req.actor)) throw new UserError('not_agent', 'Only agents can page, acknowledge, release or pass on a page.');
}

async function agentOfATier(core: Core, req: Request): Promise<void> {
  if (core.directory.tiersOf(req.actor).length === 0) throw new UserError('not_agent', 'Only agents can acknowledge pages.');
}

const pageSubs: SubcommandSpec[] = (Object.keys(PAGE_VERBS) as Array<keyof typeof PAGE_VERBS>).map((kind) => ({
  name: kind,
  summary: PAGE_VERBS[kind],
  who: 'agents',
  args: [TICKET],
  allowed: anyAgent,
  run: (core, req, a) => pageCommand(core, req, num(a, `/ticket ${kind} <N>`), kind),
}));

export const oncall: Capability = {
  name: 'oncall',
  summary: 'On call',
  commands: [
    {
      name: 'oncall',
      summary: 'Who is on call, schedules, overrides and pages',
      hint: 'schedule NAME | override USER --from ISO --to ISO | ack',
      defaultSub: 'now',
      subs: [
        { name: 'now', summary: 'who is on call now for each tier, until when, who is next', who: 'anyone', run: (core) => oncallNow(core) },
        {
          name: 'schedule',
          summary: 'the next 7 days of a schedule',
          who: 'anyone',
          args: [{ name: 'name', summary: 'Schedule name', kind: 'word', positional: true, required: true, placeholder: 'NAME' }],
          run: (core, _req, a) => oncallWeek(core, a.name ?? ''),
        },
        {
          name: 'override',
          summary: 'put someone on call in place of the rotation for a while (leads)',
          who: 'leads',
          args: [
            { name: 'user', summary: 'Who goes on call', kind: 'word', positional: true, required: true, placeholder: 'USER' },
            { name: 'from', summary: 'From (ISO instant with a zone)', kind: 'word', required: true, placeholder: 'ISO' },
            { name: 'to', summary: 'To (ISO instant with a zone)', kind: 'word', required: true, placeholder: 'ISO' },
            { name: 'schedule', summary: 'Which schedule', kind: 'word', placeholder: 'NAME' },
          ],
          allowed: (core, req) => assertLeadsATier(core, req),
          run: (core, req, a) => overrideSchedule(core, req, { user: a.user, from: a.from, to: a.to, schedule: a.schedule }),
        },
        {
          name: 'ack',
          summary: 'acknowledge the newest page for your tiers',
          who: 'agents',
          allowed: agentOfATier,
          run: (core, req) => ackLatest(core, req, req.actor),
        },
      ],
    },
    { name: 'ticket', summary: '', hint: '', extend: true, subs: pageSubs },
  ],
  buttons: [
    { action: 'ack', twin: 'ticket ack' },
    { action: 'pass', twin: 'ticket pass' },
  ],
  timers: {
    [PAGE_TIMER]: (core, work, t) => pageTimerFired(core, work, t.subject, t.data, t.late),
    [HANDOFF_TIMER]: (core, work, t) => handoffFired(core, work, t.subject),
  },
  // At start: arm handoffs not armed, and catch the handles up (a handoff or a new handle while down).
  start: async (core) => {
    await armHandoffs(core);
    await inTransaction(core, (work) => syncHandles(core, work));
  },
};
