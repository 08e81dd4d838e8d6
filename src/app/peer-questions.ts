import { addBusinessSeconds } from '../domain/business-time.js';
import { UserError } from '../domain/errors.js';
import { cappedPoints, dayStart } from '../domain/peer.js';
import { cleanLine, cleanUserText } from '../domain/text.js';
import type { MessageRef, Person, Place, Reply } from '../ports.js';
import { saveMessage } from '../store/messages.js';
import {
  findQuestion, findQuestionOfTicket, insertPoints, insertQuestion, insertSolution, nextQuestionNumber, personKey, pointsEarned, recordGrant,
  solutionsOf, totalPoints, updateQuestion,
} from '../store/peer.js';
import type { PeerQuestionRow, PeerQuestionsTable } from '../store/schema.js';
import type { SearchHit } from '../store/search.js';
import type { Updateable } from 'kysely';
import type { Actor } from './directory.js';
import { card, clip } from './render.js';
import type { Core, Target, Work } from './work.js';

/** A question's root message is registered under this key; its thread is where answers go. */
export const questionKey = (n: number) => `question:${n}`;
export const questionThread = (n: number): Target => ({ kind: 'thread', of: questionKey(n) });

export const QUESTION_TITLE_MAX = 200;
export const QUESTION_BODY_MAX = 4000;

/** Timer kinds: the unanswered clock (ping the helpers, then make a ticket) and the stale clock. */
export const UNANSWERED_TIMER = 'peer-unanswered';
export const STALE_TIMER = 'peer-stale';

export interface Question {
  number: number;
  platform: string;
  space: string;
  channel: string;
  link?: string;
  asker: Person;
  title: string;
  body: string;
  /** `deleted`: its root message or whole thread was deleted on the platform; it is kept for the record only. */
  status: 'open' | 'solved' | 'closed' | 'deleted';
  ticket?: number;
  answeredAt?: number;
  solvedAt?: number;
  createdAt: number;
  activityAt: number;
  revision: number;
}

export function questionFromRow(r: PeerQuestionRow): Question {
  return {
    number: Number(r.number), platform: r.platform, space: r.space, channel: r.channel, asker: JSON.parse(r.asker) as Person,
    title: r.title, body: r.body, status: r.status as Question['status'], createdAt: Number(r.created_at), activityAt: Number(r.activity_at),
    revision: Number(r.revision),
    ...(r.link !== null ? { link: r.link } : {}),
    ...(r.ticket !== null ? { ticket: Number(r.ticket) } : {}),
    ...(r.answered_at !== null ? { answeredAt: Number(r.answered_at) } : {}),
    ...(r.solved_at !== null ? { solvedAt: Number(r.solved_at) } : {}),
  };
}

/** Thrown when the question changed under us; the unit of work is retried (like TicketConflict). */
export class QuestionConflict extends Error {
  constructor(readonly number: number) {
    super(`question ${number} changed concurrently`);
    this.name = 'QuestionConflict';
  }
}

export async function loadQuestion(work: { db: Work['db'] }, number: number): Promise<Question> {
  const row = await findQuestion(work.db, number);
  if (!row) throw new UserError('no_question', `There is no question Q${number}.`);
  return questionFromRow(row);
}

export async function saveQuestion(work: Work, q: Question, patch: Updateable<PeerQuestionsTable>): Promise<void> {
  if (!(await updateQuestion(work.db, q.number, q.revision, patch))) throw new QuestionConflict(q.number);
}

export function isAsker(q: Question, p: Person): boolean {
  return q.asker.platform === p.platform && q.asker.id === p.id;
}

/** The asker, or a moderator: a configured moderator or any agent. */
export function canModerate(core: Core, actor: Actor): boolean {
  return (actor.personId !== undefined && core.config.peer.moderators.includes(actor.personId)) || core.directory.isAgent(actor);
}

/** Title and body of a question from free text: the first line is the title (cut to fit), all of it the body. */
export function questionText(raw: { title?: string; text?: string }): { title: string; body: string } {
  const text = cleanUserText(raw.text ?? '').trim();
  const firstLine = cleanLine((raw.title ?? '').trim() !== '' ? raw.title! : (text.split('\n').find((l) => l.trim() !== '') ?? ''));
  if (firstLine === '') throw new UserError('empty_question', 'A question needs some words: /ask <your question>', 'title');
  const title = firstLine.length > QUESTION_TITLE_MAX ? `${firstLine.slice(0, QUESTION_TITLE_MAX - 1)}…` : firstLine;
  const body = text === '' ? title : text;
  if (body.length > QUESTION_BODY_MAX) {
    throw new UserError('too_long', `The question is ${body.length} characters; the limit is ${QUESTION_BODY_MAX}. Ask the essentials and add details in the thread.`, 'text');
  }
  return { title, body };
}

/** The card for a question tierdesk posts itself (/ask). */
export function questionCard(n: number, title: string, body: string, asker: string): Card {
  return card({ title: `Q${n}: ${title}`, ...(body !== title ? { text: clip(body, 3000, ' …') } : {}), context: `Asked by ${asker} · answer in the thread`, tone: 'public' });
}

type Card = ReturnType<typeof card>;

function hitLine(core: Core, hit: SearchHit, links: Map<number, string | undefined>): string {
  if (hit.kind === 'article') return `• ${hit.title} (/kb show ${hit.ref})`;
  const link = links.get(hit.ref);
  return `• Q${hit.ref}: ${hit.title}${link ? ` ${link}` : ''}`;
}

/** Up to `limit` solved questions and published articles like this text, other than question `except`. */
export async function similarKnowledge(core: Core, text: string, limit: number, where: { platform: string; space: string }, except?: number): Promise<{ hits: SearchHit[]; lines: string[] }> {
  const found: SearchHit[] = [];
  const links = new Map<number, string | undefined>();
  for (const h of await core.search.search(core.db, text, limit * 3)) {
    if (found.length >= limit) break;
    if (h.kind === 'question') {
      if (h.ref === except) continue;
      const q = await findQuestion(core.db, h.ref);
      // Only questions of the same community (platform and workspace or server).
      if (!q || q.platform !== where.platform || q.space !== where.space) continue;
      links.set(h.ref, q.link ?? undefined);
    }
    found.push(h);
  }
  return { hits: found, lines: found.map((h) => hitLine(core, h, links)) };
}

/**
 * A new question: numbered, its root registered (a hand-made post) or posted (/ask), similar
 * knowledge offered in its thread, and its unanswered and stale clocks started.
 */
export async function createQuestion(
  core: Core,
  work: Work,
  actor: Actor,
  place: Place,
  text: { title: string; body: string },
  root: { id: string; link?: string } | undefined,
  similar: { hits: SearchHit[]; lines: string[] },
): Promise<Question> {
  const number = await nextQuestionNumber(work.db);
  const q: Question = {
    number, platform: place.platform, space: place.space, channel: place.channel, asker: actor.person, title: text.title, body: text.body,
    status: 'open', createdAt: work.now, activityAt: work.now, revision: 0, ...(root?.link ? { link: root.link } : {}),
  };
  await insertQuestion(work.db, {
    number, platform: q.platform, space: q.space, channel: q.channel, link: root?.link ?? null, asker: JSON.stringify(actor.person),
    asker_key: personKey(actor.person), title: q.title, body: q.body, status: 'open', ticket: null, answered_at: null, pinged_at: null,
    solved_at: null, closed_at: null, created_at: work.now, activity_at: work.now, revision: 0,
  });
  if (root) {
    await saveMessage(work.db, {
      key: questionKey(number), platform: place.platform, space: place.space, channel: place.channel, thread: null, message_id: root.id,
      ticket: null, side: null, posted_at: work.now,
    });
    await work.label(questionKey(number), 'open'); // a post made by hand gets the Open tag like one tierdesk made
  } else {
    await work.post({ kind: 'place', place: { platform: place.platform, space: place.space, channel: place.channel } }, questionCard(number, q.title, q.body, actor.name), { key: questionKey(number) });
    // tierdesk posted it, so the asker follows its thread only if let in (a Discord forum post).
    await work.addMembers(questionKey(number), [actor.person]);
  }
  if (similar.lines.length > 0) {
    // "Me too": the asker may join a solved question that is the same as theirs instead.
    const buttons = similar.hits.filter((h) => h.kind === 'question').map((h) => ({ action: 'peer.metoo', label: `Same as Q${h.ref}`, value: `${number} ${h.ref}` }));
    await work.post(questionThread(number), card({
      title: 'Similar questions and articles',
      text: `These may already answer it:\n${similar.lines.join('\n')}`,
      context: `${q.asker.name}: if one of them is your question, choose "Same as"; otherwise a helper will be along.`,
      ...(buttons.length > 0 ? { buttons } : {}),
      tone: 'info',
    }));
  }
  await armUnanswered(core, work, q);
  await armStale(core, work, q);
  return q;
}

/** When the unanswered clock next rings: the ping, else the ticket. Counted on the configured calendar. */
export async function armUnanswered(core: Core, work: Work, q: Question, from = q.createdAt): Promise<void> {
  const u = core.config.peer.unanswered;
  const after = (ms: number) => (u.calendar ? addBusinessSeconds(u.calendar, from, ms / 1000) : from + ms);
  if (u.pingAfterMs !== undefined && (core.config.peer.helperGroup.slack || core.config.peer.helperGroup.discord || q.platform === 'console')) {
    await work.setTimer(UNANSWERED_TIMER, String(q.number), after(u.pingAfterMs), { step: 'ping', from });
  } else if (u.ticketAfterMs !== undefined) {
    await work.setTimer(UNANSWERED_TIMER, String(q.number), after(u.ticketAfterMs), { step: 'ticket', from });
  }
}

/** Move the stale clock after activity: ask "still need help?" on an open question, close a solved one. */
export async function armStale(core: Core, work: Work, q: Question): Promise<void> {
  const { askAfterMs, closeAfterMs } = core.config.peer.stale;
  if (askAfterMs === undefined || closeAfterMs === undefined || q.ticket !== undefined) return;
  if (q.status === 'open') await work.setTimer(STALE_TIMER, String(q.number), work.now + askAfterMs, { step: 'ask' });
  else if (q.status === 'solved') await work.setTimer(STALE_TIMER, String(q.number), work.now + askAfterMs + closeAfterMs, { step: 'close' });
}

/** Award points to a helper, within the caps; grants the helper group at the threshold. Returns the points given. */
export async function award(
  core: Core,
  work: Work,
  q: Question,
  helper: Person,
  helperName: string,
  kind: 'solution' | 'thanks',
  message: string,
  givenBy: Person,
): Promise<number> {
  if (isAsker(q, helper)) return 0; // nobody earns points from their own question
  const cfg = core.config.peer.points;
  const key = personKey(helper);
  const earned = await pointsEarned(work.db, key, q.number, dayStart(work.now));
  const points = cappedPoints(kind === 'solution' ? cfg.solution : cfg.thanks, earned, cfg);
  if (points <= 0) return 0;
  const inserted = await insertPoints(work.db, {
    id: core.newId(), person: key, name: cleanLine(helperName).slice(0, 80) || helper.id, question: q.number, kind, points, given_by: personKey(givenBy), message, at: work.now,
  });
  if (!inserted) return 0;
  await maybeGrantHelper(core, work, helper);
  return points;
}

async function maybeGrantHelper(core: Core, work: Work, helper: Person): Promise<void> {
  const threshold = core.config.peer.helperThreshold;
  const group = helper.platform === 'slack' || helper.platform === 'discord' ? core.config.peer.helperGroup[helper.platform] : undefined;
  if (threshold === undefined || group === undefined) return;
  if ((await totalPoints(work.db, personKey(helper))) < threshold) return;
  if (!(await recordGrant(work.db, personKey(helper), group, work.now))) return;
  await work.grant(helper, group);
}

/**
 * Mark an answer as (one of) the question's solutions: the asker or a moderator may. The thread is
 * labelled solved, the answer linked, its author rewarded, and the question joins the search index.
 */
export async function markSolution(core: Core, work: Work, actor: Actor, q: Question, answer: MessageRef): Promise<Reply> {
  const asker = isAsker(q, actor.person);
  if (q.status === 'deleted') throw new UserError('question_deleted', `Q${q.number} was deleted, so it has no solution to mark.`);
  if (!asker && !canModerate(core, actor)) {
    throw new UserError('not_asker', `Only ${q.asker.name}, who asked Q${q.number}, or a moderator can mark its solution. If it helped you too, say thanks in the thread!`);
  }
  const root = await work.db.selectFrom('messages').select('message_id').where('key', '=', questionKey(q.number)).executeTakeFirst();
  if (root && root.message_id === answer.id) throw new UserError('not_an_answer', `That is the question itself. Mark the answer that solved Q${q.number}.`);
  const text = cleanUserText(answer.text ?? '').trim();
  const inserted = await insertSolution(work.db, {
    question: q.number, message: answer.id, link: answer.link ?? null, author: JSON.stringify(answer.author), text: text.slice(0, 4000),
    marked_by: JSON.stringify(actor.person), at: work.now,
  });
  if (!inserted) return { text: `That answer is already marked as a solution to Q${q.number}.` };
  const authorName = core.directory.actor(answer.author).name;
  const own = isAsker(q, answer.author);
  // A moderator marking their own answer solves the question, but pays nobody: points come from others.
  const self = personKey(actor.person) === personKey(answer.author);
  const points = own || self ? 0 : await award(core, work, q, answer.author, authorName, 'solution', answer.id, actor.person);
  const wasSolved = q.status === 'solved';
  const solved: Question = { ...q, status: 'solved', solvedAt: q.solvedAt ?? work.now, activityAt: work.now, answeredAt: q.answeredAt ?? work.now };
  await saveQuestion(work, q, { status: 'solved', solved_at: solved.solvedAt!, activity_at: work.now, answered_at: solved.answeredAt!, closed_at: null });
  await work.post(questionThread(q.number), card({
    title: `✅ Solved: ${q.title}`,
    text: `Solution by ${authorName}${answer.link ? ` (${answer.link})` : ''}:\n${clip(text, 1500, ' …')}`,
    context: `Marked by ${actor.name}${points > 0 ? ` · ${authorName} earns ${points} point${points === 1 ? '' : 's'}` : ''}`,
    // For the knowledge base's authors (the core checks who presses it): a draft article from this thread.
    buttons: [{ action: 'kb.save', label: 'Save as article', value: `question ${q.number}` }],
    tone: 'success',
  }));
  if (!wasSolved || q.status === 'closed') await work.label(questionKey(q.number), 'solved');
  await work.cancelTimer(UNANSWERED_TIMER, String(q.number));
  await armStale(core, work, { ...solved, revision: q.revision + 1 });
  await indexQuestion(core, work, solved);
  const why = own || self ? ' No points: it is your own answer.' : points === 0 ? ` No points this time (${authorName} reached the cap for this question or today).` : ` ${authorName} earns ${points} point${points === 1 ? '' : 's'}.`;
  // A plain success says only what the thread's "Solved" card shows: an acknowledgement (`quiet`),
  // which a platform that cannot answer the marker privately (a Discord reaction) need not repeat.
  const plain = !own && !self && points > 0;
  return { text: `Marked ${own || self ? 'your' : `${authorName}'s`} answer as the solution to Q${q.number}.${why}`, ...(plain ? { quiet: true } : {}) };
}

/** A solved question is searchable knowledge: its title, its words and its accepted answers. */
export async function indexQuestion(core: Core, work: Work, q: Question): Promise<void> {
  const solutions = await solutionsOf(work.db, q.number);
  await core.search.put(work.db, { kind: 'question', ref: q.number, title: q.title, body: [q.body, ...solutions.map((s) => s.text)].join('\n\n') });
}

/**
 * A ticket that was an unanswered question is resolved: the question is solved by the agent's
 * resolution (no points: agents are paid otherwise), labelled, and becomes searchable knowledge
 * like any solved question. Reopening the ticket takes that back.
 */
export async function questionTicketResolved(core: Core, work: Work, ticket: number, resolution: string, agent: Actor): Promise<void> {
  const row = await findQuestionOfTicket(work.db, ticket);
  if (!row) return;
  const q = questionFromRow(row);
  if (q.status === 'deleted') return;
  await insertSolution(work.db, {
    question: q.number, message: resolutionId(ticket), link: null, author: JSON.stringify(agent.person), text: resolution.slice(0, 4000),
    marked_by: JSON.stringify(agent.person), at: work.now,
  });
  const solved: Question = { ...q, status: 'solved', solvedAt: work.now, activityAt: work.now };
  await saveQuestion(work, q, { status: 'solved', solved_at: work.now, activity_at: work.now, closed_at: null });
  if (q.status !== 'solved') await work.label(questionKey(q.number), 'solved');
  await indexQuestion(core, work, solved);
}

export async function questionTicketReopened(core: Core, work: Work, ticket: number): Promise<void> {
  const row = await findQuestionOfTicket(work.db, ticket);
  if (!row) return;
  const q = questionFromRow(row);
  if (q.status === 'deleted') return;
  await work.db.deleteFrom('peer_solutions').where('question', '=', q.number).where('message', '=', resolutionId(ticket)).execute();
  if ((await solutionsOf(work.db, q.number)).length > 0) {
    await indexQuestion(core, work, q); // a member's solution still stands: searchable without the resolution
    return;
  }
  await saveQuestion(work, q, { status: 'open', solved_at: null, closed_at: null, activity_at: work.now });
  await work.label(questionKey(q.number), 'open');
  await core.search.remove(work.db, 'question', q.number);
}

/** The solution a ticket's resolution gives its question, named like a message. */
const resolutionId = (ticket: number) => `ticket:${ticket}:resolution`;
