import { UserError } from '../../domain/errors.js';
import { cleanLine } from '../../domain/text.js';
import type { Reply } from '../../ports.js';
import { helpedCount } from '../../store/deflections.js';
import { bumpVotes, findVote, insertArticle, listArticleVersions, listArticlesIn, lockArticle, nextArticleId, saveVote } from '../../store/kb.js';
import { docKey } from '../../store/search.js';
import type { Actor } from '../../core/directory.js';
import {
  assertCanRead,
  assertKbAuthor,
  changeKb,
  isKbAuthor,
  loadArticle,
  personOf,
  recordVersion,
  saveArticle,
  validBody,
  validTags,
  validTitle,
  type Article,
} from './model.js';
import { articleCard } from './render.js';
import { card, formatInstant } from '../../core/render.js';
import type { Request } from '../../core/request.js';
import type { Core, Work } from '../../core/work.js';

export const ADD_USAGE = '/kb add <title> --body TEXT [--tags a,b]';
export const EDIT_USAGE = '/kb edit <ID> [--title T] [--body B] [--tags a,b]';

/** What a new article is made of, already validated. */
export interface NewArticle {
  title: string;
  body: string;
  tags: string[];
  source?: { kind: 'ticket' | 'question'; ref: number };
}

/** Insert a draft (version 1) inside `work`. */
export async function createDraft(work: Work, actor: Actor, input: NewArticle, note: string): Promise<Article> {
  const id = await nextArticleId(work.db);
  const a: Article = {
    id,
    title: input.title,
    body: input.body,
    tags: input.tags,
    author: { ...actor.person, name: actor.name },
    state: 'draft',
    helpful: 0,
    notHelpful: 0,
    version: 1,
    createdAt: work.now,
    updatedAt: work.now,
    revision: 0,
    ...(input.source ? { source: input.source } : {}),
  };
  await insertArticle(work.db, {
    id,
    title: a.title,
    body: a.body,
    tags: a.tags,
    source_kind: a.source?.kind ?? null,
    source_ref: a.source ? String(a.source.ref) : null,
    author: personOf(actor),
    state: 'draft',
    helpful: 0,
    not_helpful: 0,
    version: 1,
    created_at: work.now,
    updated_at: work.now,
    published_at: null,
    revision: 0,
  });
  await recordVersion(work, a, actor, note);
  return a;
}

/** The answer to whoever made or changed a draft: its card, with Publish. */
export function draftReply(core: Core, actor: Actor, a: Article, text: string): Reply {
  const c = articleCard(a, { canPublish: isKbAuthor(core, actor) });
  return { text: `${text}\n\n${c.fallback}`, card: c };
}

/** `/kb add <title> --body TEXT [--tags a,b]`: a new draft. */
export async function addArticle(core: Core, req: Request, input: { title?: string; body?: string; tags?: string }): Promise<Reply> {
  assertKbAuthor(core, req.actor, 'add articles');
  const v: NewArticle = { title: validTitle(input.title, ADD_USAGE), body: validBody(input.body, ADD_USAGE), tags: validTags(input.tags) };
  const a = await changeKb(core, req, (work) => createDraft(work, req.actor, v, 'created'));
  return draftReply(core, req.actor, a, `Draft article #${a.id} saved. Publish it with /kb publish ${a.id} when it is ready.`);
}

/** `/kb edit ID [--title T] [--body B] [--tags a,b]`: a new version; a published article is re-indexed. */
export async function editArticle(core: Core, req: Request, id: number, input: { title?: string; body?: string; tags?: string }): Promise<Reply> {
  assertKbAuthor(core, req.actor, 'edit articles');
  if (input.title === undefined && input.body === undefined && input.tags === undefined) {
    throw new UserError('nothing_to_change', `Say what to change. Usage: ${EDIT_USAGE}`);
  }
  const patch: Partial<Pick<Article, 'title' | 'body' | 'tags'>> = {};
  if (input.title !== undefined) patch.title = validTitle(input.title, EDIT_USAGE);
  if (input.body !== undefined) patch.body = validBody(input.body, EDIT_USAGE);
  if (input.tags !== undefined) patch.tags = validTags(input.tags);
  const outcome = await changeKb(core, req, async (work) => {
    const a = await loadArticle(work.db, id);
    if (a.state === 'deleted') throw new UserError('article_deleted', `Article #${id} was deleted, so it can no longer be edited.`, 'id');
    const changed = (Object.keys(patch) as Array<keyof typeof patch>).filter((k) => JSON.stringify(patch[k]) !== JSON.stringify(a[k]));
    if (changed.length === 0) return { a, changed };
    const only = Object.fromEntries(changed.map((k) => [k, patch[k]])) as typeof patch;
    return { a: await saveArticle(core, work, a, req.actor, only, `edited ${changed.join(', ')}`), changed };
  });
  if (outcome.changed.length === 0) return { text: `Nothing changed: article #${id} already says that.` };
  const c = articleCard(outcome.a, { canPublish: true });
  const where = outcome.a.state === 'published' ? 'The search finds the new text now.' : `It is still a draft: /kb publish ${id}.`;
  return { text: `Article #${id} updated (${outcome.changed.join(', ')}; version ${outcome.a.version}). ${where}\n\n${c.fallback}`, card: c };
}

type StateChange = 'publish' | 'unpublish' | 'delete';

/** `/kb publish ID`, `/kb unpublish ID`, `/kb delete ID`. */
export async function changeArticleState(core: Core, req: Request, id: number, what: StateChange): Promise<Reply> {
  assertKbAuthor(core, req.actor, `${what} articles`);
  const result = await changeKb(core, req, async (work): Promise<{ a: Article; done: boolean }> => {
    const a = await loadArticle(work.db, id);
    if (a.state === 'deleted')
      throw new UserError(
        'article_deleted',
        `Article #${id} was deleted${what === 'delete' ? ' already' : `, so it can no longer be ${what === 'publish' ? 'published' : 'unpublished'}`}.`,
        'id',
      );
    if (what === 'publish' && a.state === 'published') return { a, done: false };
    if (what === 'unpublish' && a.state === 'draft') return { a, done: false };
    const state = what === 'publish' ? 'published' : what === 'unpublish' ? 'draft' : 'deleted';
    return { a: await saveArticle(core, work, a, req.actor, { state }, `${what === 'delete' ? 'deleted' : `${what}ed`}`), done: true };
  });
  const { a, done } = result;
  if (what === 'publish') {
    if (!done) return { text: `Article #${id} is already published.` };
    const c = articleCard(a, { canPublish: true });
    return { text: `Article #${id} is published: /kb search finds it, and it is offered before new tickets.\n\n${c.fallback}`, card: c };
  }
  if (what === 'unpublish')
    return { text: done ? `Article #${id} is a draft again: searches no longer find it.` : `Article #${id} is not published.` };
  return { text: `Article #${id} "${a.title}" is deleted. Its history stays: /kb history ${id}.` };
}

/** `/kb show ID`: published articles for anyone, drafts for authors. */
export async function showArticle(core: Core, req: Request, id: number): Promise<Reply> {
  const a = await loadArticle(core.db, id);
  assertCanRead(core, req.actor, a);
  const solved = a.state === 'published' ? await helpedCount(core.db, docKey('article', a.id)) : 0;
  const c = articleCard(a, { canPublish: isKbAuthor(core, req.actor), solved });
  return { text: c.fallback, card: c };
}

/** `/kb history ID`: every saved version, who and when. Authors see any article's; others a published one's. */
export async function articleHistory(core: Core, req: Request, id: number): Promise<Reply> {
  const a = await loadArticle(core.db, id);
  if (!isKbAuthor(core, req.actor)) assertCanRead(core, req.actor, a);
  const versions = await listArticleVersions(core.db, id);
  const lines = versions.map((v) => {
    const who = v.editor;
    const note = v.note ?? 'saved';
    // A state change says the state itself; other saves say which state they left it in.
    const state = ['published', 'unpublished', 'deleted'].includes(note) ? '' : ` (${v.state})`;
    return `v${v.version}  ${formatInstant(v.at)}  ${who.name ?? who.id ?? 'someone'}  ${note}${state}`;
  });
  const c = card({ title: `History of article #${id} ${a.title}`, text: lines.join('\n') || 'No versions recorded.' });
  return { text: c.fallback, card: c };
}

/** `/kb drafts`: the drafts waiting to be published, for authors. */
export async function listDrafts(core: Core, req: Request): Promise<Reply> {
  assertKbAuthor(core, req.actor, 'see drafts');
  const rows = await listArticlesIn(core.db, 'draft', 50);
  if (rows.length === 0) return { text: 'No drafts: every article is published.' };
  const lines = rows.map((r) => {
    const author = r.author;
    return `#${r.id} ${r.title} · by ${author.name ?? 'someone'} · updated ${formatInstant(Number(r.updated_at))} · /kb publish ${r.id}`;
  });
  return { text: [`Drafts (${rows.length}${rows.length === 50 ? ', newest first' : ''}):`, ...lines].join('\n') };
}

export type Vote = 'helpful' | 'not_helpful';

export function parseVote(text: string | undefined): Vote {
  const v = cleanLine(text ?? '')
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  if (['helpful', 'yes', 'up', '+1', 'useful'].includes(v)) return 'helpful';
  if (['not-helpful', 'unhelpful', 'no', 'down', '-1', 'not-useful'].includes(v)) return 'not_helpful';
  throw new UserError(
    'bad_vote',
    v === ''
      ? 'Was it helpful? Usage: /kb vote <ID> helpful|not-helpful'
      : `"${cleanLine(text ?? '').slice(0, 30)}" is not a vote: say helpful or not-helpful.`,
    'vote',
  );
}

/**
 * `/kb vote ID helpful|not-helpful`: one vote per person; voting again changes it, never counts twice.
 * The article row is locked first, so concurrent votes on it (four clicks at once) run one after
 * another: each reads the vote the one before it left, and the counts move once.
 */
export async function voteArticle(core: Core, req: Request, id: number, vote: Vote): Promise<Reply> {
  const voter = `${req.actor.person.platform}:${req.actor.person.id}`;
  const said = (v: Vote) => (v === 'helpful' ? 'helpful' : 'not helpful');
  return changeKb(core, req, async (work) => {
    await lockArticle(work.db, id);
    const a = await loadArticle(work.db, id);
    assertCanRead(core, req.actor, a);
    if (a.state !== 'published') throw new UserError('not_published', `Article #${id} is a draft: votes open when it is published.`, 'id');
    const before = await findVote(work.db, id, voter);
    if (before === vote) return { text: `You already said this article was ${said(vote)}.` };
    await saveVote(work.db, id, voter, vote, work.now, before !== undefined);
    const delta = (v: Vote) => (vote === v ? 1 : 0) - (before === v ? 1 : 0);
    await bumpVotes(work.db, id, delta('helpful'), delta('not_helpful'));
    if (before !== undefined) return { text: `Changed: you now say article #${id} is ${said(vote)}.` };
    return {
      text:
        vote === 'helpful'
          ? `Thanks: you said article #${id} was helpful.`
          : `Thanks: you said article #${id} was not helpful. The authors will see it.`,
    };
  });
}
