import { helpForum } from '../adapters/discord/peer-support.js';
import { PEER } from '../adapters/slack/peer-support.js';
import type { Db } from '../../src/store/connect.js';
import { CONTRACT_YAML } from './config.js';

/**
 * The contract deployment with a peer channel on every platform: the console's `#peer`, a Slack
 * channel (each top-level message is a question) and a Discord forum (each post is one). Points,
 * caps and deflection are the defaults; nothing ticks on its own (no unanswered or stale clocks).
 */
export const PEER_CONTRACT_YAML = `${CONTRACT_YAML}
peer:
  channels: { console: [peer], slack: [${PEER}], discord: ["${helpForum.id}"] }
`;

/**
 * One peer-support journey, told the same way to every adapter: a member asks in the peer channel,
 * another answers in its thread, the asker marks the answer, the helper has the points, the solved
 * question is found by search and offered before a new ticket with the same words.
 */
export interface PeerDriver {
  readonly platform: 'console' | 'slack' | 'discord';
  /** How the asker marks the solution here: the ✅ reaction, or "Mark as solution" (on the console `/mark mN`). */
  readonly gesture: 'reaction' | 'menu';
  /** Display names on this platform (they appear in answers). */
  readonly askerName: string;
  readonly helperName: string;
  /** The asker asks `question` in the peer channel; returns the question's number and what tierdesk answered them. */
  ask(question: string): Promise<{ number: number; answer: string | undefined }>;
  /** The helper answers in the question's thread; returns what tierdesk answered them. */
  answer(n: number, text: string): Promise<string | undefined>;
  /** The asker marks the helper's answer to question `n` as its solution (with this driver's gesture); returns the answer. */
  markSolution(n: number): Promise<string | undefined>;
  /** `/helpers <period>`, by the asker. */
  helpers(period: 'week' | 'month' | 'all'): Promise<string | undefined>;
  /** `/kb search <words>`, by the asker. */
  kbSearch(words: string): Promise<string | undefined>;
  /** `/ticket new <title>`, typed by the asker: the answer, its buttons, and the way to press them. */
  newTicket(title: string): Promise<Offer>;
  /** Everything shown in question `n`'s thread (each version of each message), people's messages included. */
  threadSaw(n: number): string[];
  /**
   * Where people read question `n` (what search shows for it: a permalink, or on the console where
   * its thread is) and its helper's answer (a permalink; none on the console).
   */
  whereIs(n: number): { question: string; answer: string | undefined };
  /** The platform's own marks on the question's thread: Discord forum tags, tierdesk's reactions on the Slack root; none on the console. */
  labels(n: number): string[];
  readonly db: Db;
  close(): Promise<void>;
}

/**
 * What `openAnyway` answers when the answer has no such button (no offer was made): the journey goes
 * on, and the transcript shows where it went wrong.
 */
export const NO_BUTTON = '(there was no "Open the ticket anyway" to press)';

/** What `/ticket new` answered, and "Open the ticket anyway" on it. */
export interface Offer {
  text: string;
  /** Shown only to the person who asked (ephemeral on Slack and Discord, "only them" on the console). */
  onlyToAsker: boolean;
  /** The labels of the answer's buttons, in order (the console prints them as `[Label] /command`). */
  buttons: string[];
  /** The asker presses "Open the ticket anyway" on this answer, through the platform's own button path. */
  openAnyway(): Promise<string | undefined>;
}

/** Rejects with `what` if `promise` has not settled within `ms`: a deadline, never a sleep. */
export function within<T>(ms: number, what: string, promise: Promise<T>, seen: () => string = () => ''): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms. ${seen()}`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The facts the journey leaves in the database, read the same way for every adapter. */
export async function peerFacts(db: Db) {
  const questions = await db.selectFrom('peer_questions').select(['number', 'title', 'body', 'status', 'platform']).orderBy('number').execute();
  const solutions = await db.selectFrom('peer_solutions').select(['question', 'text']).orderBy('question').execute();
  const points = await db.selectFrom('peer_points').select(['person', 'name', 'question', 'kind', 'points']).orderBy('at').execute();
  const offers = await db.selectFrom('deflections').select(['id', 'outcome', 'ticket', 'requester_key', 'input']).orderBy('created_at').execute();
  const docs = await db.selectFrom('deflection_docs').select(['deflection', 'doc', 'position']).orderBy('position').execute();
  const tickets = await db.selectFrom('tickets').select(['number', 'title', 'status', 'tier', 'requester_id']).orderBy('number').execute();
  /** What tierdesk delivered for tickets: the agents' card and the requester's anchor, by key. */
  const delivered = await db.selectFrom('messages').select('key').where('ticket', 'is not', null).orderBy('key').execute();
  return {
    questions: questions.map((q) => ({ ...q, number: Number(q.number) })),
    solutions: solutions.map((s) => ({ ...s, question: Number(s.question) })),
    points: points.map((p) => ({ ...p, question: Number(p.question), points: Number(p.points) })),
    offers: offers.map((o) => ({
      ...o,
      ticket: o.ticket === null ? null : Number(o.ticket),
      input: JSON.parse(o.input) as unknown,
      docs: docs.filter((d) => d.deflection === o.id).map((d) => d.doc),
    })),
    tickets: tickets.map((t) => ({ ...t, number: Number(t.number) })),
    delivered: delivered.map((m) => m.key),
  };
}

/** How long one step of the journey may take before it counts as never answered (each takes milliseconds). */
export const STEP_DEADLINE_MS = 10_000;

/**
 * The driver with a deadline on every step: an event an adapter drops (a reaction it ignores, a
 * button it never answers) fails the journey at that step, saying which, well within the hook's
 * own timeout.
 */
export function withDeadlines(d: PeerDriver): PeerDriver {
  const step = <T>(what: string, run: () => Promise<T>) => within(STEP_DEADLINE_MS, `${d.platform}: ${what}`, run());
  return {
    platform: d.platform,
    gesture: d.gesture,
    askerName: d.askerName,
    helperName: d.helperName,
    db: d.db,
    ask: (question) => step(`asking "${question}"`, () => d.ask(question)),
    answer: (n, text) => step(`answering Q${n}`, () => d.answer(n, text)),
    markSolution: (n) => step(`marking the solution to Q${n} (${d.gesture})`, () => d.markSolution(n)),
    helpers: (period) => step(`/helpers ${period}`, () => d.helpers(period)),
    kbSearch: (words) => step(`/kb search ${words}`, () => d.kbSearch(words)),
    async newTicket(title) {
      const offer = await step(`/ticket new ${title}`, () => d.newTicket(title));
      return { ...offer, openAnyway: () => step('"Open the ticket anyway"', () => offer.openAnyway()) };
    },
    threadSaw: (n) => d.threadSaw(n),
    whereIs: (n) => d.whereIs(n),
    labels: (n) => d.labels(n),
    close: () => d.close(),
  };
}
