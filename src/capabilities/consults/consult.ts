/**
 * Consults: an agent asks another tier for advice on a ticket without handing it over. The consult
 * card goes to that tier's channel; an answer (in the card's thread, or by form) reaches the asking
 * tier's card thread as an internal note. The ticket keeps its tier and assignee, and the requester
 * sees nothing of it. A consult can be closed, and its answer saved as a knowledge-base draft.
 */
import { card, clip } from '../../core/render.js';
import { change, type Request } from '../../core/request.js';
import { agentThread } from '../tickets/access.js';
import type { Core, Work } from '../../core/work.js';
import { UserError } from '../../domain/errors.js';
import type { Reply } from '../../ports.js';
import { closeConsultRow, findConsult, insertConsult, saveAnswer, type Consult } from '../../store/consults.js';
import { createDraft } from '../kb/articles.js';
import { messageText } from '../tickets/converse.js';
import { loadTicket, type Ticket } from '../tickets/ticket-model.js';

export const CONSULT_USAGE = '/ticket consult <N> <question> [--tier L2]';
export const consultKey = (id: number) => `consult:${id}`;

/** The consult card: the question, the ticket's summary, and what can be done with it. */
function consultCard(c: Consult, t: Ticket, askedBy: string): ReturnType<typeof card> {
  const id = String(c.id);
  const state = c.closedAt !== undefined ? 'closed' : c.answer !== undefined ? 'answered' : 'open';
  return card({
    title: `🤝 Consult C${c.id} on #${t.number} ${t.title} (${state})`,
    text: `${askedBy} asks: ${c.question}\n\nAbout #${t.number} (${t.priority}, ${t.tier}): ${clip(t.description || t.title, 500)}${
      c.answer !== undefined ? `\n\nAnswer: ${c.answer}` : ''
    }`,
    buttons:
      c.closedAt !== undefined
        ? []
        : [
            { action: 'consult.answer', label: 'Answer', value: id, style: 'primary' },
            { action: 'consult.close', label: 'Close', value: id },
            ...(c.answer !== undefined ? [{ action: 'consult.save', label: 'Save as article', value: id }] : []),
          ],
    tone: c.closedAt !== undefined ? 'success' : 'info',
    context: 'Answer in this thread or with Answer. The requester does not see consults.',
  });
}

/** `/ticket consult N <question> [--tier L2]`: ask the tier (by default the next one up). */
export async function askConsult(core: Core, req: Request, number: number, rawQuestion: string | undefined, tierId?: string): Promise<Reply> {
  const question = messageText(rawQuestion, 'A consult', CONSULT_USAGE);
  return change(core, req, async (work) => {
    const t = await loadTicket(work.db, number);
    if (t.status === 'closed') throw new UserError('ticket_closed', `#${number} is closed: there is nothing to consult on.`);
    const tier = tierId !== undefined ? core.directory.tier(tierId) : core.directory.nextTier(t.tier);
    if (!tier)
      throw new UserError(
        'no_tier',
        tierId !== undefined ? `${tierId} is not a tier.` : `#${number} is in the last tier: name one with --tier.`,
        'tier',
      );
    if (tier.id === t.tier) throw new UserError('same_tier', `#${number} is already with ${tier.name}: ask in its own thread.`, 'tier');
    const c = await insertConsult(work.db, { ticket: number, tier: tier.id, question, askedBy: req.actor.name, askedAt: work.now });
    await work.post(
      { kind: 'place', place: core.directory.agentChannel(tier, t.requester.platform, t.requester.space) },
      consultCard(c, t, req.actor.name),
      {
        key: consultKey(c.id),
      },
    );
    await work.post(agentThread(t), card({ title: `🤝 ${req.actor.name} asked ${tier.name} (consult C${c.id}): ${question}`, tone: 'note' }), {
      ticket: number,
    });
    await work.event(number, req.actor, 'consult_asked', { consult: c.id, tier: tier.id, question });
    return { text: `Consult C${c.id} sent to ${tier.name}. The answer will appear in #${number}'s thread as an internal note.` };
  });
}

async function openConsult(work: Work, id: number): Promise<{ c: Consult; t: Ticket }> {
  const c = await findConsult(work.db, id);
  if (!c) throw new UserError('no_consult', `There is no consult C${id}.`);
  return { c, t: await loadTicket(work.db, c.ticket) };
}

/** An answer, from the card's thread or its form: a note on the ticket, marked as from the consult. */
export async function answerConsult(core: Core, req: Request, id: number, raw: string | undefined): Promise<Reply> {
  const text = messageText(raw, 'An answer', '/consult answer <ID> <text>');
  if (!core.directory.isAgent(req.actor)) throw new UserError('not_agent', 'Only agents can answer consults.');
  return change(core, req, async (work) => {
    const { c, t } = await openConsult(work, id);
    if (c.closedAt !== undefined) throw new UserError('consult_closed', `Consult C${id} is closed.`);
    await saveAnswer(work.db, id, text, req.actor.name, work.now);
    const tier = core.directory.tier(c.tier);
    await work.post(
      agentThread(t),
      card({
        title: `🔒 Consult C${id} answer from ${req.actor.name} (${tier?.name ?? c.tier}) on #${t.number} (not visible to the requester)`,
        text,
        tone: 'note',
      }),
      { ticket: t.number },
    );
    await work.edit(consultKey(id), consultCard((await findConsult(work.db, id))!, t, c.askedBy));
    await work.event(t.number, req.actor, 'consult_answered', { consult: id, text });
    return { text: `Your answer went to #${t.number}'s agents as an internal note.` };
  });
}

/** Close a consult, optionally saving its question and answer as a knowledge-base draft. */
export async function closeConsult(core: Core, req: Request, id: number, save: boolean): Promise<Reply> {
  if (!core.directory.isAgent(req.actor)) throw new UserError('not_agent', 'Only agents can close consults.');
  return change(core, req, async (work) => {
    const { c, t } = await openConsult(work, id);
    if (save && c.answer === undefined) throw new UserError('no_answer', `Consult C${id} has no answer to save yet.`);
    if (save && c.article !== undefined) throw new UserError('already_saved', `Consult C${id} is already article ${c.article}.`);
    const article = save
      ? await createDraft(
          work,
          req.actor,
          { title: clip(c.question, 200), body: c.answer!, tags: ['consult'], source: { kind: 'ticket', ref: t.number } },
          `from consult C${id}`,
        )
      : undefined;
    if (c.closedAt === undefined || article) await closeConsultRow(work.db, id, c.closedAt ?? work.now, article?.id);
    await work.edit(consultKey(id), consultCard((await findConsult(work.db, id))!, t, c.askedBy));
    await work.event(t.number, req.actor, 'consult_closed', { consult: id, ...(article ? { article: article.id } : {}) });
    return {
      text: article ? `Consult C${id} closed; its answer is draft article ${article.id} (/kb show ${article.id}).` : `Consult C${id} closed.`,
    };
  });
}
