/**
 * The tickets capability's declarations: `/ticket` and its sub-commands, the card buttons that are
 * their twins, the forms that collect their words. Surfaces and /help are derived from these.
 */
import type { ArgSpec, Args, ButtonSpec, CommandSpec, SubcommandSpec } from '../../core/capability.js';
import { type Request } from '../../core/request.js';
import { ticketNumber } from './access.js';
import { agentsOnly } from '../../core/run-command.js';
import type { Core } from '../../core/work.js';
import { UserError } from '../../domain/errors.js';
import { productChoices, versionChoices } from '../../config/products.js';
import { newTicketOrOffer } from '../kb/deflection.js';
import { changePriority } from './change-priority.js';
import { claimTicket } from './claim-ticket.js';
import { addNote, replyToRequester } from './converse.js';
import { escalateTicket } from './escalate-ticket.js';
import { confirmResolution, reopenTicket, resolveTicket } from './resolve-ticket.js';
import { loadTicket } from './ticket-model.js';
import { listTicketsFor, showTicket, ticketHistory } from './view-tickets.js';
import { waitOnRequester } from './wait-on-requester.js';

export const LEVELS = ['high', 'medium', 'low'] as const;
export const STATUS_CHOICES = ['open', 'claimed', 'waiting', 'resolved', 'closed', 'all'] as const;

/** The ticket a sub-command works on: `<N>`. */
export const TICKET: ArgSpec = { name: 'number', summary: 'Ticket number', kind: 'number', positional: true, required: true, placeholder: 'N' };

/** Free text, kept as written: the last positional argument. */
export const words = (name: string, summary: string, placeholder: string, required = true): ArgSpec => ({
  name,
  summary,
  kind: 'text',
  positional: true,
  required,
  placeholder,
  long: true,
  maxLength: 4000,
});

const level = (name: string, summary: string): ArgSpec => ({ name, summary, kind: 'choice', choices: LEVELS });

/** The ticket number in a sub-command's arguments, or the usage when it is missing or wrong. */
export const num = (args: Args, usage: string) => ticketNumber(args.number, usage);

/** Agents of the ticket's current tier only: refused before any form opens, as the use case would refuse it. */
export function tierAgents(what: string) {
  return async (core: Core, req: Request, args: Args): Promise<void> => {
    const m = /^#?(\d{1,9})$/.exec((args.number ?? '').trim());
    if (!m) return; // the use case says what is wrong with the number
    const t = await loadTicket(core.db, Number(m[1]));
    if (core.directory.isAgentOf(req.actor, t.tier)) return;
    const tier = core.directory.tier(t.tier);
    throw new UserError(
      'not_agent',
      `Only ${tier ? `${tier.name} (${tier.id})` : t.tier} agents can ${what} ticket #${t.number}, and you are not one of them.`,
    );
  };
}

const NEW: SubcommandSpec = {
  name: 'new',
  summary: 'open a ticket (matching articles are offered first; --anyway skips them)',
  who: 'anyone',
  args: [
    { name: 'title', summary: 'What is wrong, in one line', kind: 'text', positional: true, required: true, placeholder: 'title', maxLength: 200 },
    { name: 'description', summary: 'Details', kind: 'text', placeholder: 'TEXT', long: true, maxLength: 4000 },
    level('urgency', 'How urgent it is for you'),
    level('impact', 'How many people it affects'),
    { name: 'category', summary: 'Category', kind: 'text', placeholder: 'NAME', maxLength: 100 },
    { name: 'product', summary: 'Product', kind: 'text', placeholder: 'NAME', maxLength: 100, formChoices: productChoices },
    { name: 'version', summary: 'Product version', kind: 'text', placeholder: 'X', maxLength: 50, formChoices: versionChoices },
    { name: 'anyway', summary: 'Open it without looking at matching articles', kind: 'boolean' },
  ],
  form: { kind: 'ticket.new', title: 'New ticket', fields: ['title', 'description', 'urgency', 'impact', 'product'], submitLabel: 'Open ticket' },
  run: (core, req, args) => newTicketOrOffer(core, req, args, { anyway: args.anyway === 'true' }),
};

const agentsSub = (
  name: string,
  summary: string,
  extra: ArgSpec[],
  run: SubcommandSpec['run'],
  more: Partial<SubcommandSpec> = {},
): SubcommandSpec => ({ name, summary, who: 'agents', args: [TICKET, ...extra], run, ...more });

const SUBS: SubcommandSpec[] = [
  NEW,
  {
    name: 'show',
    summary: 'show a ticket',
    who: 'anyone',
    args: [TICKET],
    run: (core, req, a) => showTicket(core, req.actor, num(a, '/ticket show <N>')),
  },
  {
    name: 'list',
    summary: 'list tickets (yours, or for agents the queue)',
    who: 'anyone',
    args: [
      { name: 'mine', summary: 'Only tickets assigned to me', kind: 'boolean' },
      { name: 'tier', summary: 'Only this tier', kind: 'tier', placeholder: 'L2' },
      { name: 'status', summary: 'Only tickets in this status', kind: 'choice', choices: STATUS_CHOICES },
    ],
    run: (core, req, a) =>
      listTicketsFor(core, req.actor, { mine: a.mine === 'true', ...(a.tier ? { tier: a.tier } : {}), ...(a.status ? { status: a.status } : {}) }),
  },
  {
    name: 'history',
    summary: 'every change to a ticket: who, what, when',
    who: 'anyone',
    args: [TICKET],
    run: (core, req, a) => ticketHistory(core, req.actor, num(a, '/ticket history <N>')),
  },
  agentsSub(
    'claim',
    'take a ticket (--force takes it over from another agent)',
    [{ name: 'force', summary: 'Take it over from another agent', kind: 'boolean' }],
    (core, req, a) => claimTicket(core, req, num(a, '/ticket claim <N> [--force]'), a.force === 'true'),
    { allowed: tierAgents('claim') },
  ),
  agentsSub(
    'reply',
    'answer the requester (public)',
    [words('text', 'Your reply (the requester sees it)', 'text')],
    (core, req, a) => replyToRequester(core, req, num(a, '/ticket reply <N> <text>'), a.text ?? ''),
    { allowed: agentsOnly('Only agents can reply on tickets.'), form: { title: 'Reply on #{number}', submitLabel: 'Send' } },
  ),
  agentsSub(
    'note',
    'internal note, never shown to the requester',
    [words('text', 'The note (agents only)', 'text')],
    (core, req, a) => addNote(core, req, num(a, '/ticket note <N> <text>'), a.text ?? ''),
    { allowed: agentsOnly('Only agents can add internal notes.'), form: { title: 'Note on #{number}', submitLabel: 'Add note' } },
  ),
  agentsSub(
    'wait',
    'wait on the requester (their answer resumes it)',
    [words('question', 'A question for the requester', 'question', false)],
    (core, req, a) => waitOnRequester(core, req, num(a, '/ticket wait <N> [question]'), a.question ?? ''),
    { allowed: tierAgents('set waiting on') },
  ),
  agentsSub(
    'escalate',
    'move to the next tier (or --to a higher one)',
    [words('reason', 'Why does it need the next tier?', 'reason'), { name: 'to', summary: 'A higher tier', kind: 'tier', placeholder: 'L3' }],
    (core, req, a) => escalateTicket(core, req, num(a, '/ticket escalate <N> <reason> [--to L3]'), a.reason ?? '', a.to),
    { allowed: tierAgents('escalate'), form: { title: 'Escalate #{number}', fields: ['reason', 'to'], submitLabel: 'Escalate' } },
  ),
  agentsSub(
    'resolve',
    'resolve, telling the requester how',
    [words('resolution', 'Resolution (the requester sees it)', 'resolution')],
    (core, req, a) => resolveTicket(core, req, num(a, '/ticket resolve <N> <resolution>'), a.resolution ?? ''),
    { allowed: tierAgents('resolve'), form: { title: 'Resolve #{number}', submitLabel: 'Resolve' } },
  ),
  agentsSub(
    'priority',
    'change impact, urgency or priority',
    [
      level('impact', 'Impact'),
      level('urgency', 'Urgency'),
      { name: 'priority', summary: 'P1..P5', kind: 'choice', choices: ['P1', 'P2', 'P3', 'P4', 'P5'] },
    ],
    (core, req, a) =>
      changePriority(core, req, num(a, '/ticket priority <N> ...'), {
        ...(a.impact ? { impact: a.impact } : {}),
        ...(a.urgency ? { urgency: a.urgency } : {}),
        ...(a.priority ? { priority: a.priority } : {}),
      }),
    { allowed: tierAgents('change the priority of') },
  ),
  {
    name: 'confirm',
    summary: 'confirm the resolution and close',
    who: 'requester',
    args: [TICKET],
    run: (core, req, a) => confirmResolution(core, req, num(a, '/ticket confirm <N>')),
  },
  {
    name: 'reopen',
    summary: 'reopen a resolved ticket within the reopen window',
    who: 'requester',
    args: [TICKET, words('reason', 'Why', 'reason', false)],
    run: (core, req, a) => reopenTicket(core, req, num(a, '/ticket reopen <N> [reason]'), a.reason ?? ''),
  },
];

export const TICKET_COMMAND: CommandSpec = {
  name: 'ticket',
  summary: 'Open, work and look up help desk tickets',
  hint: 'new <title> --urgency high | show 12 | list | help',
  subs: SUBS,
  emptySub: 'new',
  defaultSub: 'help',
};

/** Card buttons: each runs its `/ticket` twin (`claim` + `12 --force` is `/ticket claim 12 --force`). */
export const TICKET_BUTTONS: ButtonSpec[] = ['claim', 'reply', 'note', 'wait', 'escalate', 'resolve', 'confirm', 'reopen', 'show', 'history'].map(
  (name) => ({ action: name, twin: `ticket ${name}` }),
);
