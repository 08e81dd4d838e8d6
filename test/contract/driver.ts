import type { Db } from '../../src/store/connect.js';

/**
 * One help desk journey, told the same way to every adapter. A driver does what people do on its
 * platform (commands, buttons, forms, messages in threads) and reports what each side was shown;
 * everything platform-specific stays inside the driver.
 */
export interface DeskDriver {
  readonly platform: 'console' | 'slack' | 'discord';
  /** The requester's display name on this platform (it appears in some answers). */
  readonly requesterName: string;
  /** The requester opens a ticket; returns its number. */
  open(title: string, urgency: 'high' | 'medium' | 'low'): Promise<number>;
  /** Each action returns what tierdesk answered the person who acted, if anything. */
  claim(agent: Agent, n: number): Promise<string | undefined>;
  replyPublic(agent: Agent, n: number, text: string): Promise<string | undefined>;
  note(agent: Agent, n: number, text: string): Promise<string | undefined>;
  requesterWrites(n: number, text: string): Promise<string | undefined>;
  escalate(agent: Agent, n: number, reason: string): Promise<string | undefined>;
  resolve(agent: Agent, n: number, text: string): Promise<string | undefined>;
  confirm(n: number): Promise<string | undefined>;
  /** Everything shown to the requester in their DM or private thread, each version of each message. */
  requesterSaw(): string[];
  /** Everything shown in a tier's agent channel, the card threads included. */
  agentsSaw(tier: 'L1' | 'L2'): string[];
  ticket(n: number): Promise<TicketOutcome>;
  /** The on-call journey (oncall-journey.test.ts). */
  readonly oncall: OnCallDriver;
  close(): Promise<void>;
}

/** On call, as people do it on the platform: each returns what tierdesk answered the person who acted. */
export interface OnCallDriver {
  /** `agent` asks who is on call (`/oncall`). */
  whoIsOnCall(agent: Agent): Promise<string | undefined>;
  /** `agent` pages the on-call of ticket `n`'s tier (`/ticket page N`). */
  page(agent: Agent, n: number): Promise<string | undefined>;
  /** `agent` acknowledges the page for ticket `n` they were sent, with its Acknowledge button where the page has one. */
  acknowledge(agent: Agent, n: number): Promise<string | undefined>;
  /** Ticket `n`'s page status (read with `pageStatus` below). */
  pageStatus(n: number): Promise<string | undefined>;
}

/** Whether ticket `n`'s page is paging, acknowledged or over, read from the database the same way for every adapter. */
export async function pageStatus(db: Db, n: number): Promise<string | undefined> {
  const row = await db.selectFrom('pages').select('status').where('ticket', '=', n).executeTakeFirst();
  return row?.status;
}

/** The agents of the contract deployment: ann works L1, bob L2. */
export type Agent = 'ann' | 'bob';

export interface TicketOutcome {
  number: number;
  priority: string;
  status: string;
  tier: string;
  assignee: string | null;
  /** The kinds of the ticket's history events, oldest first. */
  history: string[];
}

/** A ticket's outcome, read from the database the same way for every adapter. */
export async function ticketOutcome(db: Db, n: number): Promise<TicketOutcome> {
  const t = await db.selectFrom('tickets').selectAll().where('number', '=', n).executeTakeFirstOrThrow();
  const events = await db.selectFrom('ticket_events').select('kind').where('ticket', '=', n).orderBy('id').execute();
  return { number: Number(t.number), priority: t.priority, status: t.status, tier: t.tier, assignee: t.assignee, history: events.map((e) => e.kind) };
}
