/**
 * Satisfaction surveys: after a resolution (or at close) the requester is asked to rate it from 1
 * to 5, with an optional comment. One rating per resolution, changeable until the ticket closes;
 * only the requester rates; a low rating tells the tier's channel and the assignee.
 */
import { card } from '../../core/render.js';
import { change, type Request } from '../../core/request.js';
import { requesterThread } from '../tickets/access.js';
import type { Core, Work } from '../../core/work.js';
import { UserError } from '../../domain/errors.js';
import { cleanUserText } from '../../domain/text.js';
import type { Reply } from '../../ports.js';
import { findSurvey, recordSurvey, saveRating } from '../../store/csat.js';
import { isRequester, loadTicket, type Ticket } from '../tickets/ticket-model.js';

export const RATE_USAGE = '/ticket rate <N> <1-5> [comment]';
const COMMENT_MAX = 1000;
const SCORES = ['1', '2', '3', '4', '5'] as const;
const WORDS = ['poor', 'fair', 'good', 'very good', 'great'];

/** The hook: ask the requester, in their conversation, once per resolution. */
export async function askForRating(core: Core, work: Work, number: number): Promise<void> {
  if (!core.config.csat.enabled) return;
  const t = await loadTicket(work.db, number);
  if (t.resolvedAt === undefined) return;
  const already = await findSurvey(work.db, number, t.resolvedAt);
  if (already) return;
  await recordSurvey(work.db, surveyOf(t, t.resolvedAt, work.now));
  const buttons = SCORES.map((s, i) => ({ action: 'rate', label: `${s} ${WORDS[i]}`, value: `${number} ${s}` }));
  const text = `How did we do? Rate the resolution of #${number} from 1 (poor) to 5 (great)${
    core.config.csat.comment ? ', with a comment if you like' : ''
  }. You can change your rating until the ticket closes.`;
  await work.post(requesterThread(t), card({ title: `⭐ Rate #${number}: ${t.title}`, text, buttons, tone: 'public' }), { ticket: number });
}

/** `/ticket rate N SCORE [comment]`, the rating buttons, and the comment form. */
export async function rateTicket(
  core: Core,
  req: Request,
  number: number,
  rawScore: string | undefined,
  rawComment: string | undefined,
): Promise<Reply> {
  const score = (rawScore ?? '').trim();
  if (!(SCORES as readonly string[]).includes(score))
    throw new UserError('bad_score', `A rating is a whole number from 1 (poor) to 5 (great). Usage: ${RATE_USAGE}`, 'score');
  // With comments off (csat.comment: false) a rating is only its score.
  const comment = core.config.csat.comment ? cleanUserText(rawComment ?? '').trim() : '';
  if (comment.length > COMMENT_MAX)
    throw new UserError('too_long', `The comment is ${comment.length} characters; the limit is ${COMMENT_MAX}.`, 'comment');
  return change(core, req, async (work) => {
    const t = await loadTicket(work.db, number);
    if (!isRequester(t, req.actor.person, core.directory))
      throw new UserError('not_requester', `Only ${t.requester.name}, who raised #${number}, can rate it.`);
    const resolvedAt = ratable(core, t);
    const survey = await findSurvey(work.db, number, resolvedAt);
    if (!survey) await recordSurvey(work.db, surveyOf(t, resolvedAt, work.now));
    const previous = survey?.score;
    await saveRating(work.db, number, resolvedAt, Number(score), comment || undefined, work.now);
    await work.event(number, req.actor, 'rated', { score: Number(score), ...(comment ? { comment } : {}) });
    const low = core.config.csat.alertBelow;
    if (Number(score) <= low && (previous === undefined || previous > low)) await alertLowRating(core, work, t, Number(score), comment);
    return { text: previous === undefined ? `Thanks: you rated #${number} ${score}/5.` : `Thanks: your rating of #${number} is now ${score}/5.` };
  });
}

/** The survey row of one resolution: the ticket as it was when resolved. */
function surveyOf(t: Ticket, resolvedAt: number, askedAt: number): Parameters<typeof recordSurvey>[1] {
  return { ticket: t.number, resolvedAt, tier: t.tier, priority: t.priority, askedAt, ...(t.assignee ? { assignee: t.assignee } : {}) };
}

/** The resolution a rating is for, or why there is none to rate now. */
function ratable(core: Core, t: Ticket): number {
  const csat = core.config.csat;
  if (!csat.enabled) throw new UserError('csat_off', 'Ratings are not collected on this help desk.');
  if (t.resolvedAt === undefined || (t.status !== 'resolved' && t.status !== 'closed'))
    throw new UserError('not_resolved', `#${t.number} is not resolved yet: you can rate it once it is.`);
  if (csat.ask === 'on_resolve' && t.status === 'closed')
    throw new UserError('ticket_closed', `#${t.number} is closed: ratings are taken until a ticket closes.`);
  return t.resolvedAt;
}

async function alertLowRating(core: Core, work: Work, t: Ticket, score: number, comment: string): Promise<void> {
  const tier = core.directory.tier(t.tier);
  const alert = card({
    title: `⚠️ Low rating on #${t.number}: ${score}/5`,
    text: `${t.requester.name} rated the resolution of #${t.number} "${t.title}" ${score}/5.${comment ? `\n“${comment}”` : ''}`,
    tone: 'warning',
  });
  if (tier)
    await work.post({ kind: 'place', place: core.directory.agentChannel(tier, t.requester.platform, t.requester.space) }, alert, {
      ticket: t.number,
    });
  const assignee = t.assignee ? core.directory.personOn(t.assignee, t.requester.platform, t.requester.space) : undefined;
  if (assignee) await work.post({ kind: 'direct', person: assignee }, alert, { ticket: t.number });
}
