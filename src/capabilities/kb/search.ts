import { UserError } from '../../domain/errors.js';
import { isEmptyQuery } from '../../domain/search-query.js';
import { cleanLine } from '../../domain/text.js';
import type { CardButton, Reply } from '../../ports.js';
import type { Db } from '../../store/connect.js';
import { findArticles } from '../../store/kb.js';
import { findQuestion, findQuestionSummaries, solutionsOf } from '../../store/peer.js';
import { findMessage } from '../../store/messages.js';
import { docKey, type DocKind } from '../../store/search.js';
import { KB_LIMITS } from './model.js';
import { card, clip } from '../../core/render.js';
import type { Actor } from '../../core/directory.js';
import type { Core } from '../../core/work.js';

/** A search hit ready to show: what it is, its title, an excerpt, and where to read it. */
export interface FoundDoc {
  kind: DocKind;
  ref: number;
  /** `article:12` / `question:3`. */
  key: string;
  title: string;
  snippet: string;
  /** `/kb show 12`, or the question's link (or where it is). */
  where: string;
  /** A question's permalink, when the platform gave one. */
  link?: string;
}

export const SEARCH_USAGE = '/kb search <words>';

/**
 * Search the knowledge (published articles and solved questions) and resolve each hit to what to
 * show. Hits whose document is gone or no longer published are skipped (the index follows the
 * articles in the same transaction, so this is only a safety net).
 */
export async function findDocs(core: Core, db: Db, query: string, limit: number, where?: Community): Promise<FoundDoc[]> {
  // Solved questions stay in their community (an internal Slack's answers are not shown in a public
  // Discord server); articles are the desk's own and go everywhere. Ask for more to fill the limit.
  const hits = await core.search.search(db, query, where ? limit * 3 : limit);
  if (hits.length === 0) return [];
  const articleIds = hits.filter((h) => h.kind === 'article').map((h) => h.ref);
  const questionNumbers = hits.filter((h) => h.kind === 'question').map((h) => h.ref);
  const articles = new Map((await findArticles(db, articleIds)).map((r) => [Number(r.id), r]));
  const questions = new Map((await findQuestionSummaries(db, questionNumbers)).map((q) => [q.number, q]));
  const out: FoundDoc[] = [];
  for (const h of hits) {
    if (out.length >= limit) break;
    const snippet = clip(cleanLine(h.snippet), 200);
    if (h.kind === 'article') {
      const a = articles.get(h.ref);
      if (!a || a.state !== 'published') continue;
      out.push({ kind: 'article', ref: h.ref, key: docKey('article', h.ref), title: a.title, snippet, where: `/kb show ${h.ref}` });
    } else {
      const q = questions.get(h.ref);
      if (!q || (where && !sameCommunity(q, where))) continue;
      out.push({
        kind: 'question',
        ref: h.ref,
        key: docKey('question', h.ref),
        title: q.title,
        snippet,
        where: await questionWhere(db, q),
        ...(q.link ? { link: q.link } : {}),
      });
    }
  }
  return out;
}

/** Where someone is: solved questions are shown only within the community they were asked in. */
export interface Community {
  platform: string;
  space: string;
}

/**
 * The one rule for whose solved questions a search shows (chat's `/kb search` and the dashboard's /kb):
 * in chat, the community searched from only, so an internal workspace's answers never show in a public
 * server; the dashboard is nobody's community and private to its viewer, so agents and leads (who answer
 * every community's questions) find them all there, anyone else none. `undefined`: every community.
 */
export function questionsSeenFrom(core: Core, actor: Actor, place: Community): Community | undefined {
  if (place.platform !== 'web') return place;
  const dir = core.directory;
  return dir.isAgent(actor) || dir.isLeadOfAny(actor) ? undefined : place;
}

export function sameCommunity(q: Community, where: Community): boolean {
  return q.platform === where.platform && q.space === where.space;
}

/** A link to a solved question: its permalink, else where its thread is. */
async function questionWhere(db: Db, q: { number: number; link: string | null; platform: string; space: string }): Promise<string> {
  if (q.link) return q.link;
  const root = await findMessage(db, `question:${q.number}`);
  if (root && q.platform === 'discord') return `https://discord.com/channels/${root.space}/${root.message_id}`;
  if (root) return `the thread of Q${q.number} in #${root.channel}`;
  return `Q${q.number}`;
}

/** The words a document is about (title and body; a question with its marked answers), to judge an offer. */
export async function docText(db: Db, doc: Pick<FoundDoc, 'kind' | 'ref'>): Promise<string> {
  if (doc.kind === 'article') {
    const a = (await findArticles(db, [doc.ref]))[0];
    return a ? `${a.title}\n${a.body}\n${a.tags}` : '';
  }
  const q = await findQuestion(db, doc.ref);
  const answers = q ? await solutionsOf(db, doc.ref) : [];
  return q ? [q.title, q.body, ...answers.map((a) => a.text)].join('\n') : '';
}

/** One line per document: `1. 📘 Title: …excerpt… (/kb show 12)`. */
export function docLines(docs: FoundDoc[]): string[] {
  return docs.map((d, i) => {
    const icon = d.kind === 'article' ? '📘' : '💬';
    const what = d.kind === 'question' ? ' (solved question)' : '';
    return `${i + 1}. ${icon} ${d.title}${what}${d.snippet ? `: ${d.snippet}` : ''}\n   ${d.where}`;
  });
}

/** `/kb search <words>`: up to 5 articles and solved questions (those `questionsSeenFrom` allows). Any text is a valid query. */
export async function searchKb(core: Core, raw: string | undefined, req: { actor: Actor; place: Community }): Promise<Reply> {
  const query = cleanLine(raw ?? '');
  if (query.length > KB_LIMITS.queryMax)
    throw new UserError('too_long', `The search is ${query.length} characters; the limit is ${KB_LIMITS.queryMax}. A few words work best.`, 'query');
  if (query === '' || isEmptyQuery(query)) {
    return {
      text: [
        query === '' ? 'What are you looking for? Give a few words:' : `"${clip(query, 40)}" has no words to search for. Give a few words:`,
        `  ${SEARCH_USAGE}   e.g. /kb search printer offline`,
        'It searches published articles and solved peer questions. /kb help lists the other commands.',
      ].join('\n'),
    };
  }
  const docs = await findDocs(core, core.db, query, 5, questionsSeenFrom(core, req.actor, req.place));
  if (docs.length === 0) {
    return {
      text: `Nothing in the knowledge base matches "${clip(query, 80)}". Try other words, /ask the community, or open a ticket with /ticket new <title>.`,
    };
  }
  const buttons: CardButton[] = docs
    .filter((d) => d.kind === 'article')
    .map((d) => ({ action: 'kb.show', label: `Open #${d.ref}`, value: String(d.ref) }));
  const c = card({
    title: `🔎 ${docs.length} result${docs.length === 1 ? '' : 's'} for "${clip(query, 80)}"`,
    text: docLines(docs).join('\n'),
    ...(buttons.length > 0 ? { buttons } : {}),
    tone: 'info',
  });
  return { text: c.fallback, card: c };
}
