import { cappedPoints, dayStart } from '../../domain/peer.js';
import { UserError } from '../../domain/errors.js';
import { cleanLine, cleanUserText } from '../../domain/text.js';
import type { MessageRef, Person, Reply } from '../../ports.js';
import { insertPoints, insertSolution, personKey, pointsEarned, recordGrant, totalPoints } from '../../store/peer.js';
import { findMessage } from '../../store/messages.js';
import type { Actor } from '../../core/directory.js';
import {
  armStale,
  canModerate,
  indexQuestion,
  isAsker,
  questionKey,
  questionThread,
  saveQuestion,
  UNANSWERED_TIMER,
  type Question,
} from './questions.js';
import { card, clip } from '../../core/render.js';
import type { Core, Work } from '../../core/work.js';

/* Solutions and the points they earn: marking answers, awarding within the caps, the helper group. */

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
    id: core.newId(),
    person: key,
    name: cleanLine(helperName).slice(0, 80) || helper.id,
    question: q.number,
    kind,
    points,
    given_by: personKey(givenBy),
    message,
    at: work.now,
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
    throw new UserError(
      'not_asker',
      `Only ${q.asker.name}, who asked Q${q.number}, or a moderator can mark its solution. If it helped you too, say thanks in the thread!`,
    );
  }
  const root = await findMessage(work.db, questionKey(q.number));
  if (root && root.message_id === answer.id)
    throw new UserError('not_an_answer', `That is the question itself. Mark the answer that solved Q${q.number}.`);
  const text = cleanUserText(answer.text ?? '').trim();
  const inserted = await insertSolution(work.db, {
    question: q.number,
    message: answer.id,
    link: answer.link ?? null,
    author: answer.author,
    text: text.slice(0, 4000),
    markedBy: actor.person,
    at: work.now,
  });
  if (!inserted) return { text: `That answer is already marked as a solution to Q${q.number}.` };
  const authorName = core.directory.actor(answer.author).name;
  const own = isAsker(q, answer.author);
  // A moderator marking their own answer solves the question, but pays nobody: points come from others.
  const self = personKey(actor.person) === personKey(answer.author);
  const points = own || self ? 0 : await award(core, work, q, answer.author, authorName, 'solution', answer.id, actor.person);
  const wasSolved = q.status === 'solved';
  const solved: Question = { ...q, status: 'solved', solvedAt: q.solvedAt ?? work.now, activityAt: work.now, answeredAt: q.answeredAt ?? work.now };
  await saveQuestion(work, q, {
    status: 'solved',
    solved_at: solved.solvedAt!,
    activity_at: work.now,
    answered_at: solved.answeredAt!,
    closed_at: null,
  });
  await work.post(
    questionThread(q.number),
    card({
      title: `✅ Solved: ${q.title}`,
      text: `Solution by ${authorName}${answer.link ? ` (${answer.link})` : ''}:\n${clip(text, 1500, ' …')}`,
      context: `Marked by ${actor.name}${points > 0 ? ` · ${authorName} earns ${points} point${points === 1 ? '' : 's'}` : ''}`,
      // For the knowledge base's authors (the core checks who presses it): a draft article from this thread.
      buttons: [{ action: 'kb.save', label: 'Save as article', value: `question ${q.number}` }],
      tone: 'success',
    }),
  );
  if (!wasSolved || q.status === 'closed') await work.label(questionKey(q.number), 'solved');
  await work.cancelTimer(UNANSWERED_TIMER, String(q.number));
  await armStale(core, work, { ...solved, revision: q.revision + 1 });
  await indexQuestion(core, work, solved);
  const why =
    own || self
      ? ' No points: it is your own answer.'
      : points === 0
        ? ` No points this time (${authorName} reached the cap for this question or today).`
        : ` ${authorName} earns ${points} point${points === 1 ? '' : 's'}.`;
  // A plain success says only what the thread's "Solved" card shows: an acknowledgement (`quiet`),
  // which a platform that cannot answer the marker privately (a Discord reaction) need not repeat.
  const plain = !own && !self && points > 0;
  return {
    text: `Marked ${own || self ? 'your' : `${authorName}'s`} answer as the solution to Q${q.number}.${why}`,
    ...(plain ? { quiet: true } : {}),
  };
}
