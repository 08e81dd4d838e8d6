import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import { ACTIONS, STATUSES, nextStatus, type TicketAction, type TicketStatus } from '../../src/domain/ticket.js';

/**
 * The whole lifecycle as a table: for every action from every status, the status it leads to
 * (without and with an assignee), or null where the action is refused.
 */
type Row = Record<TicketStatus, [TicketStatus | null, TicketStatus | null]>;
const TABLE: Record<TicketAction, Row> = {
  claim: {
    open: ['claimed', 'claimed'],
    claimed: ['claimed', 'claimed'],
    waiting_on_requester: ['waiting_on_requester', 'waiting_on_requester'],
    resolved: [null, null],
    closed: [null, null],
  },
  wait: {
    open: ['waiting_on_requester', 'waiting_on_requester'],
    claimed: ['waiting_on_requester', 'waiting_on_requester'],
    waiting_on_requester: [null, null],
    resolved: [null, null],
    closed: [null, null],
  },
  agent_reply: {
    open: ['open', 'open'],
    claimed: ['claimed', 'claimed'],
    waiting_on_requester: ['waiting_on_requester', 'waiting_on_requester'],
    resolved: ['resolved', 'resolved'],
    closed: [null, null],
  },
  note: {
    open: ['open', 'open'],
    claimed: ['claimed', 'claimed'],
    waiting_on_requester: ['waiting_on_requester', 'waiting_on_requester'],
    resolved: ['resolved', 'resolved'],
    closed: [null, null],
  },
  requester_reply: {
    open: ['open', 'open'],
    claimed: ['claimed', 'claimed'],
    waiting_on_requester: ['open', 'claimed'],
    resolved: ['resolved', 'resolved'],
    closed: [null, null],
  },
  escalate: {
    open: ['open', 'open'],
    claimed: ['open', 'open'],
    waiting_on_requester: ['open', 'open'],
    resolved: [null, null],
    closed: [null, null],
  },
  resolve: {
    open: ['resolved', 'resolved'],
    claimed: ['resolved', 'resolved'],
    waiting_on_requester: ['resolved', 'resolved'],
    resolved: [null, null],
    closed: [null, null],
  },
  confirm: { open: [null, null], claimed: [null, null], waiting_on_requester: [null, null], resolved: ['closed', 'closed'], closed: [null, null] },
  reopen: {
    open: [null, null],
    claimed: [null, null],
    waiting_on_requester: [null, null],
    resolved: ['open', 'claimed'],
    closed: ['open', 'claimed'],
  },
  auto_close: { open: [null, null], claimed: [null, null], waiting_on_requester: [null, null], resolved: ['closed', 'closed'], closed: [null, null] },
  change_priority: {
    open: ['open', 'open'],
    claimed: ['claimed', 'claimed'],
    waiting_on_requester: ['waiting_on_requester', 'waiting_on_requester'],
    resolved: ['resolved', 'resolved'],
    closed: [null, null],
  },
};

describe('ticket lifecycle', () => {
  it('covers every action and status', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...ACTIONS].sort());
  });

  for (const action of ACTIONS) {
    for (const from of STATUSES) {
      for (const [i, hasAssignee] of [false, true].entries()) {
        const expected = TABLE[action][from][i];
        const who = hasAssignee ? 'with an assignee' : 'unassigned';
        if (expected === null) {
          it(`refuses ${action} from ${from} (${who}) with a reason`, () => {
            expect(() => nextStatus(from, action, hasAssignee)).toThrow(UserError);
            expect(() => nextStatus(from, action, hasAssignee)).toThrow(/^Cannot .+: .+\.$/);
          });
        } else {
          it(`${action} from ${from} (${who}) → ${expected}`, () => {
            expect(nextStatus(from, action, hasAssignee)).toBe(expected);
          });
        }
      }
    }
  }

  it('tells someone reopening an open ticket that it is not resolved', () => {
    expect(() => nextStatus('open', 'reopen', false)).toThrow(/Cannot reopen this ticket: it is not resolved/);
  });
});
