import { addBusinessSeconds } from '../../domain/business-time.js';
import { ConflictError, UserError } from '../../domain/errors.js';
import { cleanLine, cleanUserText } from '../../domain/text.js';
import type { Card, Person, Place } from '../../ports.js';
import { findDocs, type Community, type FoundDoc } from '../kb/search.js';
import { saveMessage } from '../../store/messages.js';
import { findQuestion, insertQuestion, nextQuestionNumber, personKey, solutionsOf, updateQuestion, type QuestionRecord } from '../../store/peer.js';
import type { PeerQuestionsTable } from '../../store/schema.js';
import type { Updateable } from 'kysely';
import type { Actor } from '../../core/directory.js';
import { card, clip } from '../../core/render.js';
import type { Core, Target, Work } from '../../core/work.js';

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

export function questionFromRow(r: QuestionRecord): Question {
  return {
    number: Number(r.number),
    platform: r.platform,
    space: r.space,
    channel: r.channel,
    asker: r.asker,
    title: r.title,
    body: r.body,
    status: r.status as Question['status'],
    createdAt: Number(r.created_at),
    activityAt: Number(r.activity_at),
    revision: Number(r.revision),
    ...(r.link !== null ? { link: r.link } : {}),
    ...(r.ticket !== null ? { ticket: Number(r.ticket) } : {}),
    ...(r.answered_at !== null ? { answeredAt: Number(r.answered_at) } : {}),
    ...(r.solved_at !== null ? { solvedAt: Number(r.solved_at) } : {}),
  };
}

/** Thrown when the question changed under us; the unit of work is retried (like TicketConflict). */
export class QuestionConflict extends ConflictError {
  constructor(readonly number: number) {
    super(`question ${number} changed concurrently`, `Question Q${number} is being changed by someone else right now; try again.`);
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
    throw new UserError(
      'too_long',
      `The question is ${body.length} characters; the limit is ${QUESTION_BODY_MAX}. Ask the essentials and add details in the thread.`,
      'text',
    );
  }
  return { title, body };
}

/** The card for a question tierdesk posts itself (/ask). */
export function questionCard(n: number, title: string, body: string, asker: string): Card {
  return card({
    title: `Q${n}: ${title}`,
    ...(body !== title ? { text: clip(body, 3000, ' …') } : {}),
    context: `Asked by ${asker} · answer in the thread`,
    tone: 'public',
  });
}

/** A line naming a document offered in a question's thread or to the asker. */
function similarLine(doc: FoundDoc): string {
  if (doc.kind === 'article') return `• ${doc.title} (/kb show ${doc.ref})`;
  return `• Q${doc.ref}: ${doc.title}${doc.link ? ` ${doc.link}` : ''}`;
}

export interface Similar {
  docs: FoundDoc[];
  lines: string[];
}

/** Up to `limit` solved questions (of the same community) and published articles like this text. */
export async function similarKnowledge(core: Core, text: string, limit: number, where: Community): Promise<Similar> {
  const docs = await findDocs(core, core.db, text, limit, where);
  return { docs, lines: docs.map(similarLine) };
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
  similar: Similar,
): Promise<Question> {
  const number = await nextQuestionNumber(work.db);
  const q: Question = {
    number,
    platform: place.platform,
    space: place.space,
    channel: place.channel,
    asker: actor.person,
    title: text.title,
    body: text.body,
    status: 'open',
    createdAt: work.now,
    activityAt: work.now,
    revision: 0,
    ...(root?.link ? { link: root.link } : {}),
  };
  await insertQuestion(work.db, {
    number,
    platform: q.platform,
    space: q.space,
    channel: q.channel,
    link: root?.link ?? null,
    asker: actor.person,
    asker_key: personKey(actor.person),
    title: q.title,
    body: q.body,
    status: 'open',
    ticket: null,
    answered_at: null,
    pinged_at: null,
    solved_at: null,
    closed_at: null,
    created_at: work.now,
    activity_at: work.now,
    revision: 0,
  });
  await placeRoot(work, q, place, root, actor);
  await offerSimilar(work, q, similar);
  await armUnanswered(core, work, q);
  await armStale(core, work, q);
  return q;
}

/** Register a hand-made post as the question's root, or post the card of an /ask. */
async function placeRoot(work: Work, q: Question, place: Place, root: { id: string } | undefined, actor: Actor): Promise<void> {
  if (root) {
    await saveMessage(work.db, {
      key: questionKey(q.number),
      platform: place.platform,
      space: place.space,
      channel: place.channel,
      thread: null,
      message_id: root.id,
      ticket: null,
      side: null,
      posted_at: work.now,
    });
    await work.label(questionKey(q.number), 'open'); // a post made by hand gets the Open tag like one tierdesk made
  } else {
    await work.post(
      { kind: 'place', place: { platform: place.platform, space: place.space, channel: place.channel } },
      questionCard(q.number, q.title, q.body, actor.name),
      { key: questionKey(q.number) },
    );
    // tierdesk posted it, so the asker follows its thread only if let in (a Discord forum post).
    await work.addMembers(questionKey(q.number), [actor.person]);
  }
}

/** Offer similar knowledge in the question's thread, with a "Same as" button per solved question. */
async function offerSimilar(work: Work, q: Question, similar: Similar): Promise<void> {
  if (similar.lines.length === 0) return;
  // "Me too": the asker may join a solved question that is the same as theirs instead.
  const buttons = similar.docs
    .filter((h) => h.kind === 'question')
    .map((h) => ({ action: 'peer.metoo', label: `Same as Q${h.ref}`, value: `${q.number} ${h.ref}` }));
  await work.post(
    questionThread(q.number),
    card({
      title: 'Similar questions and articles',
      text: `These may already answer it:\n${similar.lines.join('\n')}`,
      context: `${q.asker.name}: if one of them is your question, choose "Same as"; otherwise a helper will be along.`,
      ...(buttons.length > 0 ? { buttons } : {}),
      tone: 'info',
    }),
  );
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

/** A solved question is searchable knowledge: its title, its words and its accepted answers. */
export async function indexQuestion(core: Core, work: Work, q: Question): Promise<void> {
  const solutions = await solutionsOf(work.db, q.number);
  await core.search.put(work.db, { kind: 'question', ref: q.number, title: q.title, body: [q.body, ...solutions.map((s) => s.text)].join('\n\n') });
}
