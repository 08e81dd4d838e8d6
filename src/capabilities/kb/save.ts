import { UserError } from '../../domain/errors.js';
import { cleanLine, cleanUserText } from '../../domain/text.js';
import type { Reply } from '../../ports.js';
import { listEvents } from '../../store/events.js';
import { findArticleBySource, lockArticleSource } from '../../store/kb.js';
import { findQuestion, solutionsOf } from '../../store/peer.js';
import { createDraft, draftReply, type NewArticle } from './articles.js';
import { assertKbAuthor, changeKb, KB_LIMITS } from './model.js';
import { clip } from '../../core/render.js';
import type { Request } from '../../core/request.js';
import { loadTicket, type Ticket } from '../tickets/ticket-model.js';
import type { Core, Work } from '../../core/work.js';

export const SAVE_USAGE = '/kb save ticket <N> | /kb save question <N>';

/** `ticket 12`, `ticket #12`, `question 3` → what to save. */
export function parseSource(text: string | undefined): { kind: 'ticket' | 'question'; ref: number } {
  const m = /^(ticket|question)\s+#?(\d{1,9})$/i.exec(cleanLine(text ?? ''));
  if (!m) throw new UserError('bad_source', `Save what? Usage: ${SAVE_USAGE}`, 'source');
  return { kind: m[1]!.toLowerCase() as 'ticket' | 'question', ref: Number(m[2]) };
}

/**
 * "Save as article": a resolved or closed ticket, or a solved peer question, becomes a draft
 * (source ticket N / question N) for a KB author to review and publish. The draft card goes back
 * to whoever asked, with a Publish button.
 */
export async function saveAsArticle(core: Core, req: Request, source: { kind: 'ticket' | 'question'; ref: number }): Promise<Reply> {
  assertKbAuthor(core, req.actor, `save ${source.kind === 'ticket' ? 'tickets' : 'questions'} as articles`);
  const a = await changeKb(core, req, async (work) => {
    // Two saves at once: the second waits here for the first to commit, then finds its draft.
    await lockArticleSource(work.db, source.kind, source.ref);
    const existing = await findArticleBySource(work.db, source.kind, source.ref);
    if (existing) {
      throw new UserError(
        'already_saved',
        `${source.kind === 'ticket' ? 'Ticket' : 'Question'} #${source.ref} is already article #${existing.id} (${existing.state}): /kb show ${existing.id}.`,
      );
    }
    const input = source.kind === 'ticket' ? await fromTicket(work, source.ref) : await fromQuestion(work, source.ref);
    return createDraft(work, req.actor, input, `saved from ${source.kind} #${source.ref}`);
  });
  return draftReply(
    core,
    req.actor,
    a,
    `Draft article #${a.id} saved from ${source.kind} #${source.ref}. Check it (/kb edit ${a.id} --body ...) and publish it.`,
  );
}

async function fromTicket(work: Work, number: number): Promise<NewArticle> {
  const t = await loadTicket(work.db, number);
  if (t.status !== 'resolved' && t.status !== 'closed') {
    throw new UserError('not_resolved', `Ticket #${number} is not resolved yet: save it as an article once it is resolved.`, 'source');
  }
  const replies = (await listEvents(work.db, number))
    .filter((e) => e.kind === 'replied')
    .map((e) => e.data.text)
    .filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  const sections = [
    ['Problem', t.description.trim() || t.title],
    ['Solution', t.resolution?.trim() || '(write the solution here)'],
  ];
  if (replies.length > 0) sections.push(['From the conversation', replies.map((r) => `- ${r.trim().replace(/\n/g, '\n  ')}`).join('\n')]);
  return { title: articleTitle(t.title), body: articleBody(sections), tags: tagsOf(t), source: { kind: 'ticket', ref: number } };
}

async function fromQuestion(work: Work, number: number): Promise<NewArticle> {
  const q = await findQuestion(work.db, number);
  if (!q) throw new UserError('no_such_question', `There is no question #${number}.`, 'source');
  const solutions = await solutionsOf(work.db, number);
  if (solutions.length === 0)
    throw new UserError('not_solved', `Question #${number} has no marked solution yet: save it once it is solved.`, 'source');
  const answers = solutions.map((s) => {
    const author = s.authorName === undefined ? undefined : cleanLine(s.authorName).slice(0, 80);
    return `${s.text.trim()}${author ? `\n\n(answered by ${author})` : ''}`;
  });
  const sections: string[][] = [
    ['Question', q.body.trim() || q.title],
    [solutions.length === 1 ? 'Answer' : 'Answers', answers.join('\n\n---\n\n')],
  ];
  if (q.link) sections.push(['Thread', q.link]);
  return { title: articleTitle(q.title), body: articleBody(sections), tags: [], source: { kind: 'question', ref: number } };
}

function articleTitle(title: string): string {
  return clip(cleanLine(title), KB_LIMITS.titleMax) || 'Untitled';
}

function articleBody(sections: string[][]): string {
  const body = cleanUserText(sections.map(([head, text]) => `## ${head}\n\n${text}`).join('\n\n'));
  return clip(body, KB_LIMITS.bodyMax);
}

function tagsOf(t: Ticket): string[] {
  return [t.category, t.product]
    .filter((x): x is string => x !== undefined)
    .map((x) => cleanLine(x).toLowerCase())
    .filter((x, i, all) => x !== '' && x.length <= KB_LIMITS.tagMax && all.indexOf(x) === i);
}
