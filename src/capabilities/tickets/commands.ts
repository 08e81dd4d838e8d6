import { UserError } from '../../domain/errors.js';
import { cleanLine } from '../../domain/text.js';
import type { Reply } from '../../ports.js';
import { changePriority } from './change-priority.js';
import { claimTicket } from './claim-ticket.js';
import { parseLine, type ParsedLine } from '../../core/command-line.js';
import { addNote, replyToRequester } from './converse.js';
import { escalateTicket } from './escalate-ticket.js';
import { newTicketOrOffer } from '../kb/deflection.js';
import { ticketNumber, type Request } from '../../core/request.js';
import { confirmResolution, reopenTicket, resolveTicket } from './resolve-ticket.js';
import { listTicketsFor, showTicket, ticketHistory } from './view-tickets.js';
import { waitOnRequester } from './wait-on-requester.js';
import { ticketStats } from '../sla/stats.js';
import { pageCommand } from '../oncall/page-ticket.js';
import type { Core } from '../../core/work.js';

/** One `/ticket` sub-command: its help, who may run it, its options, and what it does. */
export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  who: 'anyone' | 'agents' | 'requester';
  values?: readonly string[];
  booleans?: readonly string[];
  run(core: Core, req: Request, line: ParsedLine): Promise<Reply>;
}

const num = (line: ParsedLine, usage: string) => ticketNumber(line.words[0], usage);
const rest = (line: ParsedLine) => line.text ?? line.words.slice(1).join(' ');
const flag = (line: ParsedLine, name: string) => (typeof line.flags[name] === 'string' ? (line.flags[name] as string) : undefined);

/** Every command, in the order /help lists them. Each card button has a twin here. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'new',
    usage:
      '/ticket new <title> [--description TEXT] [--urgency high|medium|low] [--impact high|medium|low] [--category NAME] [--product NAME --version X] [--anyway]',
    summary: 'open a ticket (matching articles are offered first; --anyway skips them)',
    who: 'anyone',
    values: ['description', 'urgency', 'impact', 'category', 'product', 'version'],
    booleans: ['anyway'],
    run: (core, req, line) => {
      const input: Record<string, string | undefined> = { title: line.words.join(' ') };
      for (const f of ['description', 'urgency', 'impact', 'category', 'product', 'version']) input[f] = flag(line, f);
      return newTicketOrOffer(core, req, input, { anyway: line.flags.anyway === true });
    },
  },
  {
    name: 'show',
    usage: '/ticket show <N>',
    summary: 'show a ticket',
    who: 'anyone',
    run: (core, req, line) => showTicket(core, req.actor, num(line, '/ticket show <N>')),
  },
  {
    name: 'list',
    usage: '/ticket list [--mine] [--tier L2] [--status open|claimed|waiting|resolved|closed|all]',
    summary: 'list tickets (yours, or for agents the queue)',
    who: 'anyone',
    values: ['tier', 'status'],
    booleans: ['mine'],
    run: (core, req, line) =>
      listTicketsFor(core, req.actor, {
        mine: line.flags.mine === true,
        ...optional('tier', flag(line, 'tier')),
        ...optional('status', flag(line, 'status')),
      }),
  },
  {
    name: 'history',
    usage: '/ticket history <N>',
    summary: 'every change to a ticket: who, what, when',
    who: 'anyone',
    run: (core, req, line) => ticketHistory(core, req.actor, num(line, '/ticket history <N>')),
  },
  {
    name: 'claim',
    usage: '/ticket claim <N> [--force]',
    summary: 'take a ticket (--force takes it over from another agent)',
    who: 'agents',
    booleans: ['force'],
    run: (core, req, line) => claimTicket(core, req, num(line, '/ticket claim <N> [--force]'), line.flags.force === true),
  },
  {
    name: 'reply',
    usage: '/ticket reply <N> <text>',
    summary: 'answer the requester (public)',
    who: 'agents',
    run: (core, req, line) => replyToRequester(core, req, num(line, '/ticket reply <N> <text>'), rest(line)),
  },
  {
    name: 'note',
    usage: '/ticket note <N> <text>',
    summary: 'internal note, never shown to the requester',
    who: 'agents',
    run: (core, req, line) => addNote(core, req, num(line, '/ticket note <N> <text>'), rest(line)),
  },
  {
    name: 'wait',
    usage: '/ticket wait <N> [question]',
    summary: 'wait on the requester (their answer resumes it)',
    who: 'agents',
    run: (core, req, line) => waitOnRequester(core, req, num(line, '/ticket wait <N> [question]'), rest(line)),
  },
  {
    name: 'escalate',
    usage: '/ticket escalate <N> <reason> [--to L3]',
    summary: 'move to the next tier (or --to a higher one)',
    who: 'agents',
    values: ['to'],
    run: (core, req, line) => escalateTicket(core, req, num(line, '/ticket escalate <N> <reason> [--to L3]'), rest(line), flag(line, 'to')),
  },
  {
    name: 'resolve',
    usage: '/ticket resolve <N> <resolution>',
    summary: 'resolve, telling the requester how',
    who: 'agents',
    run: (core, req, line) => resolveTicket(core, req, num(line, '/ticket resolve <N> <resolution>'), rest(line)),
  },
  {
    name: 'priority',
    usage: '/ticket priority <N> [--impact high|medium|low] [--urgency high|medium|low] [--priority P1..P5]',
    summary: 'change impact, urgency or priority',
    who: 'agents',
    values: ['impact', 'urgency', 'priority'],
    run: (core, req, line) =>
      changePriority(core, req, num(line, '/ticket priority <N> ...'), {
        ...optional('impact', flag(line, 'impact')),
        ...optional('urgency', flag(line, 'urgency')),
        ...optional('priority', flag(line, 'priority')),
      }),
  },
  {
    name: 'stats',
    usage: '/ticket stats [--by tier|priority|agent] [--days N]',
    summary: 'SLA attainment, breaches, response and resolution times, backlog',
    who: 'agents',
    values: ['by', 'days'],
    run: (core, req, line) => ticketStats(core, req, flag(line, 'by'), flag(line, 'days')),
  },
  {
    name: 'page',
    usage: '/ticket page <N>',
    summary: "page the tier's on-call (its escalation policy)",
    who: 'agents',
    run: (core, req, line) => pageCommand(core, req, num(line, '/ticket page <N>'), 'page'),
  },
  {
    name: 'ack',
    usage: '/ticket ack <N>',
    summary: 'acknowledge a page: it stops climbing',
    who: 'agents',
    run: (core, req, line) => pageCommand(core, req, num(line, '/ticket ack <N>'), 'ack'),
  },
  {
    name: 'release',
    usage: '/ticket release <N>',
    summary: 'give an acknowledged page back: it climbs again',
    who: 'agents',
    run: (core, req, line) => pageCommand(core, req, num(line, '/ticket release <N>'), 'release'),
  },
  {
    name: 'pass',
    usage: '/ticket pass <N>',
    summary: 'send a page to its next step now',
    who: 'agents',
    run: (core, req, line) => pageCommand(core, req, num(line, '/ticket pass <N>'), 'pass'),
  },
  {
    name: 'confirm',
    usage: '/ticket confirm <N>',
    summary: 'confirm the resolution and close',
    who: 'requester',
    run: (core, req, line) => confirmResolution(core, req, num(line, '/ticket confirm <N>')),
  },
  {
    name: 'reopen',
    usage: '/ticket reopen <N> [reason]',
    summary: 'reopen a resolved ticket within the reopen window',
    who: 'requester',
    run: (core, req, line) => reopenTicket(core, req, num(line, '/ticket reopen <N> [reason]'), rest(line)),
  },
];

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** The help text: every command with its usage, grouped by who uses it. */
export function helpText(): string {
  const group = (who: CommandSpec['who'], title: string) => [
    title,
    ...COMMANDS.filter((c) => c.who === who).map((c) => `  ${c.usage}\n      ${c.summary}`),
  ];
  return [
    'tierdesk commands',
    ...group('anyone', 'Everyone:'),
    ...group('requester', 'Requesters:'),
    ...group('agents', 'Agents:'),
    'On call:',
    '  /oncall  who is on call now for each tier, until when, who is next',
    '  /oncall schedule <NAME>  the next 7 days of a schedule',
    '  /oncall ack  acknowledge the newest page for your tiers',
    'Peer support and knowledge:',
    '  /ask <question>  ask the community in the peer channel',
    '  /helpers [week|month|all]  the helpers with the most points',
    '  /kb search <words>  search articles and solved questions (/kb help for the rest)',
    "In a ticket's conversation, just write: the requester's messages reach the agents; an agent's message is a public reply.",
  ].join('\n');
}

/**
 * Run a sub-command given as structured arguments (a form, a button, Discord options): `sub`, the
 * ticket `number`, free `text` kept verbatim, and flags by name (`to`, `force`, `tier`, ...).
 */
export async function runTicketArgs(core: Core, req: Request, args: Record<string, string | boolean | undefined>): Promise<Reply> {
  const sub = String(args.sub ?? '').toLowerCase();
  if (sub === 'new') return newTicketOrOffer(core, req, args, { anyway: args.anyway === true || args.anyway === 'true' });
  if (sub === '' || sub === 'help') return { text: helpText() };
  const spec = COMMANDS.find((c) => c.name === sub);
  if (!spec) return { text: `Unknown command "${cleanLine(sub).slice(0, 40)}".\n\n${helpText()}` };
  const flags: Record<string, string | true> = {};
  for (const name of spec.values ?? []) if (typeof args[name] === 'string' && args[name] !== '') flags[name] = args[name] as string;
  for (const name of spec.booleans ?? []) if (args[name] === true || args[name] === 'true') flags[name] = true;
  const line: ParsedLine = { words: args.number !== undefined ? [String(args.number)] : [], flags };
  if (typeof args.text === 'string') line.text = args.text;
  return spec.run(core, req, line);
}

/** Run a `/ticket ...` line: parse it against its command's spec and run it. */
export async function runTicketCommand(core: Core, req: Request, text: string, freeText?: string): Promise<Reply> {
  const trimmed = text.trim();
  if (trimmed.length > 10_000) throw new UserError('too_long', `That command is ${trimmed.length} characters; the limit is 10000.`);
  const [name = '', ...rest] = trimmed.split(/\s+/);
  const sub = name.toLowerCase();
  if (sub === '' || sub === 'help') return { text: helpText() };
  const spec = COMMANDS.find((c) => c.name === sub);
  if (!spec) return { text: `Unknown command "${cleanLine(name).slice(0, 40)}".\n\n${helpText()}` };
  const line = parseLine(rest.join(' '), { values: spec.values ?? [], booleans: spec.booleans ?? [] });
  if (freeText !== undefined) line.text = freeText;
  return spec.run(core, req, line);
}
