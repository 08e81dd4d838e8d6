import { sql } from 'kysely';
import type { Person } from '../ports.js';
import type { Db } from './connect.js';
import { nextCounter } from './counters.js';
import type { PeerQuestionRow, PeerQuestionsTable, PeerSolutionsTable } from './schema.js';
import type { Updateable } from 'kysely';

/** The next question number (counter `question`), race-free on both dialects like ticket numbers. */
export async function nextQuestionNumber(db: Db): Promise<number> {
  return nextCounter(db, 'question');
}

/** A question's row with its JSON column decoded: who asked. */
export type QuestionRecord = Omit<PeerQuestionRow, 'asker'> & { asker: Person };

const questionRecord = (row: PeerQuestionRow): QuestionRecord => ({ ...row, asker: JSON.parse(row.asker) as Person });

export async function insertQuestion(db: Db, question: QuestionRecord): Promise<void> {
  await db
    .insertInto('peer_questions')
    .values({ ...question, asker: JSON.stringify(question.asker) })
    .execute();
}

export async function findQuestion(db: Db, number: number): Promise<QuestionRecord | undefined> {
  const row = await db.selectFrom('peer_questions').selectAll().where('number', '=', number).executeTakeFirst();
  return row ? questionRecord(row) : undefined;
}

/** The question linked to a ticket (an unanswered question that became one). */
/** Questions by number (at most a few hundred at a time), with what a search hit shows. */
export async function findQuestionSummaries(
  db: Db,
  numbers: readonly number[],
): Promise<Array<{ number: number; title: string; link: string | null; space: string; platform: string }>> {
  if (numbers.length === 0) return [];
  const rows = await db
    .selectFrom('peer_questions')
    .select(['number', 'title', 'link', 'space', 'platform'])
    .where('number', 'in', numbers)
    .execute();
  return rows.map((q) => ({ ...q, number: Number(q.number) }));
}

export async function findQuestionOfTicket(db: Db, ticket: number): Promise<QuestionRecord | undefined> {
  const row = await db.selectFrom('peer_questions').selectAll().where('ticket', '=', ticket).executeTakeFirst();
  return row ? questionRecord(row) : undefined;
}

/** Write `patch` only if nobody changed the question since `revision`; false when someone did. */
export async function updateQuestion(db: Db, number: number, revision: number, patch: Updateable<PeerQuestionsTable>): Promise<boolean> {
  const r = await db
    .updateTable('peer_questions')
    .set({ ...patch, revision: revision + 1 })
    .where('number', '=', number)
    .where('revision', '=', revision)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A marked answer. The author is decoded leniently: a row written by hand may hold anything. */
export interface Solution {
  question: number;
  message: string;
  link: string | null;
  authorName: string | undefined;
  text: string;
  at: number;
}

function solutionFromRow(r: PeerSolutionsTable): Solution {
  return { question: Number(r.question), message: r.message, link: r.link, authorName: nameIn(r.author), text: r.text, at: Number(r.at) };
}

function nameIn(json: string): string | undefined {
  try {
    const p = JSON.parse(json) as { name?: unknown };
    return typeof p.name === 'string' ? p.name : undefined;
  } catch {
    return undefined;
  }
}

/** Record a marked answer; false when that message is already a solution of the question. */
export async function insertSolution(
  db: Db,
  s: { question: number; message: string; link: string | null; author: Person; text: string; markedBy: Person; at: number },
): Promise<boolean> {
  const row = { question: s.question, message: s.message, link: s.link, author: JSON.stringify(s.author), text: s.text, at: s.at };
  const r = await db
    .insertInto('peer_solutions')
    .values({ ...row, marked_by: JSON.stringify(s.markedBy) })
    .onConflict((oc) => oc.columns(['question', 'message']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** The question's solutions, oldest first. */
export async function solutionsOf(db: Db, question: number): Promise<Solution[]> {
  const rows = await db.selectFrom('peer_solutions').selectAll().where('question', '=', question).orderBy('at').execute();
  return rows.map(solutionFromRow);
}

export async function isSolution(db: Db, question: number, message: string): Promise<boolean> {
  const row = await db
    .selectFrom('peer_solutions')
    .select('message')
    .where('question', '=', question)
    .where('message', '=', message)
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteSolution(db: Db, question: number, message: string): Promise<void> {
  await db.deleteFrom('peer_solutions').where('question', '=', question).where('message', '=', message).execute();
}

/** A marked answer was edited on the platform: keep its words in step. */
export async function updateSolutionText(db: Db, question: number, message: string, text: string): Promise<void> {
  await db.updateTable('peer_solutions').set({ text }).where('question', '=', question).where('message', '=', message).execute();
}

/** Points a helper earned on one question, and since `since` anywhere. */
export async function pointsEarned(db: Db, person: string, question: number, since: number): Promise<{ thread: number; day: number }> {
  const thread = await db
    .selectFrom('peer_points')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), sql<number>`0`).as('n'))
    .where('person', '=', person)
    .where('question', '=', question)
    .executeTakeFirstOrThrow();
  const day = await db
    .selectFrom('peer_points')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), sql<number>`0`).as('n'))
    .where('person', '=', person)
    .where('at', '>=', since)
    .executeTakeFirstOrThrow();
  return { thread: Number(thread.n), day: Number(day.n) };
}

export async function totalPoints(db: Db, person: string): Promise<number> {
  const r = await db
    .selectFrom('peer_points')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), sql<number>`0`).as('n'))
    .where('person', '=', person)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Record an award once per (kind, message, person); false when it was already given. */
export async function insertPoints(
  db: Db,
  row: { id: string; person: string; name: string; question: number; kind: string; points: number; given_by: string; message: string; at: number },
): Promise<boolean> {
  const r = await db
    .insertInto('peer_points')
    .values(row)
    .onConflict((oc) => oc.columns(['kind', 'message', 'person']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function leaderboard(
  db: Db,
  since: number,
  limit: number,
): Promise<Array<{ person: string; name: string; points: number; solutions: number }>> {
  const rows = await db
    .selectFrom('peer_points')
    .select((eb) => [
      'person',
      eb.fn.max('name').as('name'),
      eb.fn.sum<number>('points').as('points'),
      eb.fn.sum<number>(eb.case().when('kind', '=', 'solution').then(1).else(0).end()).as('solutions'),
    ])
    .where('at', '>=', since)
    .groupBy('person')
    .having((eb) => eb.fn.sum('points'), '>', 0)
    .orderBy('points', 'desc')
    .orderBy('person')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ person: r.person, name: String(r.name), points: Number(r.points), solutions: Number(r.solutions) }));
}

/** Record that a group was granted; false when it already was. */
export async function recordGrant(db: Db, person: string, grp: string, at: number): Promise<boolean> {
  const r = await db
    .insertInto('peer_grants')
    .values({ person, grp, at })
    .onConflict((oc) => oc.columns(['person', 'grp']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** `platform:id`: how the ledger names a person. */
export function personKey(p: Pick<Person, 'platform' | 'id'>): string {
  return `${p.platform}:${p.id}`;
}

/** Remember that someone wrote in a question's thread (once). */
export async function addParticipant(db: Db, question: number, person: string): Promise<void> {
  await db
    .insertInto('peer_participants')
    .values({ question, person })
    .onConflict((oc) => oc.columns(['question', 'person']).doNothing())
    .execute();
}

export async function isParticipant(db: Db, question: number, person: string): Promise<boolean> {
  return (
    (await db.selectFrom('peer_participants').select('person').where('question', '=', question).where('person', '=', person).executeTakeFirst()) !==
    undefined
  );
}
