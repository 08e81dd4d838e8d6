import { deleteSolution, findQuestionOfTicket, insertSolution, solutionsOf } from '../../store/peer.js';
import type { Actor } from '../../core/directory.js';
import { indexQuestion, questionFromRow, questionKey, saveQuestion, type Question } from './questions.js';
import type { Core, Work } from '../../core/work.js';

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
    question: q.number,
    message: resolutionId(ticket),
    link: null,
    author: agent.person,
    text: resolution.slice(0, 4000),
    markedBy: agent.person,
    at: work.now,
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
  await deleteSolution(work.db, q.number, resolutionId(ticket));
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
