import { UserError } from './errors.js';

/** The lifecycle: open → claimed → waiting_on_requester → resolved → closed (reopen within a window). */
export type TicketStatus = 'open' | 'claimed' | 'waiting_on_requester' | 'resolved' | 'closed';
export const STATUSES: readonly TicketStatus[] = ['open', 'claimed', 'waiting_on_requester', 'resolved', 'closed'];

/** Everything that can happen to a ticket, by whoever does it. */
export type TicketAction =
  'claim' | 'wait' | 'agent_reply' | 'note' | 'requester_reply' | 'escalate' | 'resolve' | 'confirm' | 'reopen' | 'auto_close' | 'change_priority';
export const ACTIONS: readonly TicketAction[] = [
  'claim',
  'wait',
  'agent_reply',
  'note',
  'requester_reply',
  'escalate',
  'resolve',
  'confirm',
  'reopen',
  'auto_close',
  'change_priority',
];

export function isStatus(value: unknown): value is TicketStatus {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** Where a ticket goes back to when work resumes: to its assignee if it has one. */
function working(hasAssignee: boolean): TicketStatus {
  return hasAssignee ? 'claimed' : 'open';
}

type Rule = (from: TicketStatus, hasAssignee: boolean) => TicketStatus | string;

const ACTIVE: readonly TicketStatus[] = ['open', 'claimed', 'waiting_on_requester'];
const isActive = (s: TicketStatus) => ACTIVE.includes(s);

// Each rule returns the next status, or a sentence explaining the refusal.
const RULES: Record<TicketAction, Rule> = {
  claim: (s) => (isActive(s) ? (s === 'open' ? 'claimed' : s) : `it is ${label(s)}; reopen it first`),
  wait: (s) =>
    s === 'open' || s === 'claimed'
      ? 'waiting_on_requester'
      : s === 'waiting_on_requester'
        ? 'it is already waiting on the requester'
        : `it is ${label(s)}`,
  agent_reply: (s) => (s === 'closed' ? 'it is closed' : s),
  note: (s) => (s === 'closed' ? 'it is closed' : s),
  requester_reply: (s, a) => (s === 'closed' ? 'it is closed; open a new ticket' : s === 'waiting_on_requester' ? working(a) : s),
  escalate: (s) => (isActive(s) ? 'open' : `it is ${label(s)}`),
  resolve: (s) => (isActive(s) ? 'resolved' : `it is already ${label(s)}`),
  confirm: (s) => (s === 'resolved' ? 'closed' : s === 'closed' ? 'it is already closed' : 'it is not resolved yet'),
  // A closed ticket reopens too while its reopen window lasts (closed early by a confirmation); the
  // use case checks the window, which needs the time.
  reopen: (s, a) => (s === 'resolved' || s === 'closed' ? working(a) : 'it is not resolved'),
  auto_close: (s) => (s === 'resolved' ? 'closed' : `it is ${label(s)}`),
  change_priority: (s) => (s === 'closed' ? 'it is closed' : s),
};

/**
 * The status after `action`, or a UserError saying why the action is not possible now.
 * `hasAssignee` decides where work resumes (claimed) or restarts (open).
 */
export function nextStatus(from: TicketStatus, action: TicketAction, hasAssignee: boolean): TicketStatus {
  const result = RULES[action](from, hasAssignee);
  if (isStatus(result)) return result;
  throw new UserError('illegal_transition', `Cannot ${ACTION_VERB[action]} this ticket: ${result}.`);
}

/** Whether `action` is possible from `from` (for rendering only the buttons that can work). */
export function canDo(from: TicketStatus, action: TicketAction): boolean {
  return isStatus(RULES[action](from, false));
}

const ACTION_VERB: Record<TicketAction, string> = {
  claim: 'claim',
  wait: 'set waiting on',
  agent_reply: 'reply to',
  note: 'add a note to',
  requester_reply: 'reply to',
  escalate: 'escalate',
  resolve: 'resolve',
  confirm: 'confirm',
  reopen: 'reopen',
  auto_close: 'close',
  change_priority: 'change the priority of',
};

/** A status as a person reads it. */
export function label(status: TicketStatus): string {
  return status === 'waiting_on_requester' ? 'waiting on the requester' : status;
}
