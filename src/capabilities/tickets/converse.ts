import { UserError } from '../../domain/errors.js';
import { formatDuration } from '../../domain/duration.js';
import { nextStatus } from '../../domain/ticket.js';
import { cleanUserText } from '../../domain/text.js';
import type { Reply } from '../../ports.js';
import { conversationCard } from './cards.js';
import { change, type Request } from '../../core/request.js';
import { agentThread, requesterThread } from './access.js';
import { refreshCards } from './refresh-cards.js';
import { isRequester, loadTicket, saveTicket, type Ticket } from './ticket-model.js';
import type { Core, Work } from '../../core/work.js';
import type { Actor } from '../../core/directory.js';

export const MESSAGE_MAX = 4000;

export function messageText(text: string | undefined, what: string, usage: string): string {
  const clean = cleanUserText(text ?? '').trim();
  if (clean === '') throw new UserError('empty_message', `${what} needs some text. Usage: ${usage}`, 'text');
  if (clean.length > MESSAGE_MAX)
    throw new UserError('too_long', `${what} is ${clean.length} characters; the limit is ${MESSAGE_MAX}. Split it into several messages.`, 'text');
  return clean;
}

/**
 * A public reply from an agent of the ticket's tier: relayed to the requester, echoed in the agents'
 * thread. The first one is the ticket's first response.
 */
export async function replyToRequester(core: Core, req: Request, number: number, raw: string): Promise<Reply> {
  const text = messageText(raw, 'A reply', `/ticket reply ${number} <text>`);
  if (!core.directory.isAgent(req.actor)) throw new UserError('not_agent', `Only agents can reply on tickets.`);
  return change(core, req, async (work) => {
    // Any agent may answer (an earlier tier's agent still in the conversation, a specialist asked
    // in): it is recorded like any reply. Claiming, escalating and resolving stay with the tier.
    const t = await loadTicket(work.db, number);
    nextStatus(t.status, 'agent_reply', t.assignee !== undefined);
    await recordReply(core, work, req.actor, t, text, 'relay');
    return { text: `Reply sent to ${t.requester.name} on #${number}.` };
  });
}

/**
 * Record an agent's public reply: the history, the agents' echo, and the first response (its clock
 * stops). `relay`: tierdesk carries it to the requester; `in-thread`: the agent wrote it where the
 * requester reads already (a peer question's thread), so it is not posted again.
 */
export async function recordReply(core: Core, work: Work, actor: Actor, t: Ticket, text: string, where: 'relay' | 'in-thread'): Promise<void> {
  const first = t.firstResponseAt === undefined;
  await saveTicket(work, t, first ? { first_response_at: work.now } : {});
  await work.event(t.number, actor, 'replied', {
    text,
    ...(where === 'in-thread' ? { inThread: true } : {}),
    ...(first ? { firstResponse: true } : {}),
  });
  if (where === 'relay') await work.post(requesterThread(t), conversationCard('reply', t, actor.name, text), { ticket: t.number });
  await work.post(agentThread(t), conversationCard('reply-echo', t, actor.name, text), { ticket: t.number });
  if (first) await refreshCards(core, work, { ...t, firstResponseAt: work.now, updatedAt: work.now }); // the reaction clock stops
}

/** An internal note: any agent may add one; it goes only to the agents' thread, never to the requester. */
export async function addNote(core: Core, req: Request, number: number, raw: string): Promise<Reply> {
  const text = messageText(raw, 'A note', `/ticket note ${number} <text>`);
  if (!core.directory.isAgent(req.actor)) throw new UserError('not_agent', 'Only agents can add internal notes.');
  return change(core, req, async (work) => {
    const t = await loadTicket(work.db, number);
    nextStatus(t.status, 'note', t.assignee !== undefined);
    await saveTicket(work, t, {});
    await work.event(number, req.actor, 'note', { text });
    await work.post(agentThread(t), conversationCard('note', t, req.actor.name, text), { ticket: number });
    return { text: `Internal note added to #${number} (agents only).` };
  });
}

/**
 * The requester writes about their ticket: relayed to the agents. A ticket waiting on them goes
 * back to work.
 */
export async function requesterMessage(core: Core, req: Request, number: number, raw: string): Promise<Reply | void> {
  const text = messageText(raw, 'A message', `#${number} <text>`);
  return change(core, req, (work) => recordRequesterMessage(core, work, req, number, text));
}

/** The requester's message, relayed to the agents, inside a unit of work already under way. */
export async function recordRequesterMessage(core: Core, work: Work, req: Request, number: number, text: string): Promise<Reply | void> {
  const t = await loadTicket(work.db, number);
  if (!isRequester(t, req.actor.person, core.directory)) throw new UserError('not_yours', `Ticket #${number} is not yours.`);
  const status = nextStatus(t.status, 'requester_reply', t.assignee !== undefined);
  await saveTicket(work, t, { status });
  await work.event(number, req.actor, 'requester_message', { text });
  await work.post(agentThread(t), conversationCard('requester', t, req.actor.name, text), { ticket: number });
  if (status !== t.status) {
    await work.event(number, req.actor, 'resumed', { from: t.status, to: status });
    await refreshCards(core, work, { ...t, status, updatedAt: work.now });
  }
  if (t.status === 'resolved') {
    return { text: `Sent to the agents. #${number} is resolved; if it is not fixed, /ticket reopen ${number}.` };
  }
}

/** A message written in a ticket's conversation: from its requester, or a public reply from an agent. */
export async function messageInTicket(core: Core, req: Request, number: number, text: string): Promise<Reply | void> {
  const t = await loadTicket(core.db, number);
  const requester = isRequester(t, req.actor.person, core.directory);
  const agent = !requester && core.directory.isAgent(req.actor);
  if (!requester && !agent) throw new UserError('not_yours', `Ticket #${number} is not yours: only its requester and the agents can write in it.`);
  // Never silence in a closed ticket's place: say that nothing was passed on, and what to do instead.
  if (t.status === 'closed') throw new UserError('ticket_closed', closedAnswer(core, t, agent));
  return requester ? requesterMessage(core, req, number, text) : replyToRequester(core, req, number, text);
}

/** Nothing was passed on: how to reopen it while the window lasts, else how to open a new ticket. */
function closedAnswer(core: Core, t: Ticket, agent: boolean): string {
  const windowEnd = (t.resolvedAt ?? t.closedAt ?? 0) + core.config.tickets.reopenWindowMs;
  const left = windowEnd - core.clock.now();
  const n = t.number;
  const what = agent ? `#${n} is closed, so this was not sent to its requester.` : `#${n} is closed, so this message was not passed on.`;
  if (left > 0)
    return `${what} To reopen it, /ticket reopen ${n} (possible for ${wholeUnits(left)} more); or open a new ticket: /ticket new <title>.`;
  return `${what} Its reopen window has ended: ${agent ? 'the requester can' : 'if you still need help,'} open a new ticket with /ticket new <title>.`;
}

/** What is left, in the largest whole unit it holds (rounded down: "6 days", not "6 days 23 hours 59 minutes"). */
function wholeUnits(ms: number): string {
  for (const unit of [604_800_000, 86_400_000, 3_600_000, 60_000]) if (ms >= unit) return formatDuration(Math.floor(ms / unit) * unit);
  return 'less than a minute';
}
