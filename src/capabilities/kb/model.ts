import { UserError } from '../../domain/errors.js';
import { cleanLine, cleanUserText } from '../../domain/text.js';
import type { Person, Platform } from '../../ports.js';
import type { Db } from '../../store/connect.js';
import { findArticle, insertArticleVersion, updateArticle, type KbArticleRecord, type KbPerson } from '../../store/kb.js';
import type { Actor } from '../../core/directory.js';
import { change, type Request } from '../../core/request.js';
import type { Core, Work } from '../../core/work.js';

/** A knowledge-base article as the use cases see it. */
export type ArticleState = 'draft' | 'published' | 'deleted';

export interface Article {
  id: number;
  title: string;
  body: string;
  tags: string[];
  source?: { kind: 'ticket' | 'question'; ref: number };
  author: Person;
  state: ArticleState;
  helpful: number;
  notHelpful: number;
  version: number;
  createdAt: number;
  updatedAt: number;
  publishedAt?: number;
  revision: number;
}

export const KB_LIMITS = { titleMax: 200, bodyMax: 20_000, tagsMax: 10, tagMax: 30, queryMax: 500 } as const;

export function articleFromRow(r: KbArticleRecord): Article {
  const a: Article = {
    id: Number(r.id),
    title: r.title,
    body: r.body,
    tags: r.tags,
    author: { ...r.author, platform: r.author.platform as Platform },
    state: r.state as ArticleState,
    helpful: Number(r.helpful),
    notHelpful: Number(r.not_helpful),
    version: Number(r.version),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    revision: Number(r.revision),
  };
  if ((r.source_kind === 'ticket' || r.source_kind === 'question') && r.source_ref !== null)
    a.source = { kind: r.source_kind, ref: Number(r.source_ref) };
  if (r.published_at !== null) a.publishedAt = Number(r.published_at);
  return a;
}

/** The article, or a refusal naming the id. */
export async function loadArticle(db: Db, id: number): Promise<Article> {
  const row = await findArticle(db, id);
  if (!row) throw new UserError('no_such_article', `There is no article #${id}. Find one with /kb search <words>.`, 'id');
  return articleFromRow(row);
}

/** Parse an article reference: `12` or `#12`. */
export function articleId(text: string | undefined, usage: string): number {
  const m = /^#?(\d{1,9})$/.exec((text ?? '').trim());
  if (!m)
    throw new UserError(
      'bad_article_id',
      text && text.trim() ? `"${cleanLine(text).slice(0, 40)}" is not an article number. Usage: ${usage}` : `Which article? Usage: ${usage}`,
      'id',
    );
  return Number(m[1]);
}

// ---- who may do what ------------------------------------------------------------------------

/** Agents of the `kb.authors` tiers may add, edit, publish, delete and save articles. */
export function isKbAuthor(core: Core, actor: Actor): boolean {
  return core.config.kb.authors.some((tier) => core.directory.isAgentOf(actor, tier));
}

export function assertKbAuthor(core: Core, actor: Actor, what: string): void {
  if (isKbAuthor(core, actor)) return;
  const tiers = core.config.kb.authors.map((id) => {
    const t = core.directory.tier(id);
    return t ? `${t.name} (${t.id})` : id;
  });
  const who = tiers.length === 0 ? 'nobody (kb.authors is empty)' : `only ${tiers.join(' or ')} agents`;
  throw new UserError('not_kb_author', `In the knowledge base, ${who} can ${what}, and you are not one of them.`);
}

/** May `actor` read the article? Published: anyone; drafts: authors; deleted: nobody. */
export function assertCanRead(core: Core, actor: Actor, a: Article): void {
  if (a.state === 'deleted') throw new UserError('article_deleted', `Article #${a.id} was deleted.`, 'id');
  if (a.state === 'draft' && !isKbAuthor(core, actor)) throw new UserError('article_draft', `Article #${a.id} is not published yet.`, 'id');
}

// ---- input -----------------------------------------------------------------------------------

export function validTitle(raw: string | undefined, usage: string): string {
  const title = cleanLine(raw ?? '');
  if (title === '') throw new UserError('missing_title', `An article needs a title. Usage: ${usage}`, 'title');
  if (title.length > KB_LIMITS.titleMax)
    throw new UserError('too_long', `The title is ${title.length} characters; the limit is ${KB_LIMITS.titleMax}.`, 'title');
  return title;
}

export function validBody(raw: string | undefined, usage: string): string {
  const body = cleanUserText(raw ?? '')
    .replace(/\r/g, '')
    .trim();
  if (body === '') throw new UserError('missing_body', `An article needs a body (Markdown). Usage: ${usage}`, 'body');
  if (body.length > KB_LIMITS.bodyMax)
    throw new UserError('too_long', `The body is ${body.length} characters; the limit is ${KB_LIMITS.bodyMax}.`, 'body');
  return body;
}

/** `a, B ,c` → ['a', 'b', 'c']: lowercased, trimmed, without repeats; blank pieces dropped. */
export function validTags(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const tags: string[] = [];
  for (const piece of cleanUserText(raw).split(',')) {
    const tag = cleanLine(piece).replace(/^#+/, '').toLowerCase();
    if (tag === '' || tags.includes(tag)) continue;
    if (tag.length > KB_LIMITS.tagMax)
      throw new UserError('too_long', `The tag "${tag.slice(0, 40)}…" is ${tag.length} characters; the limit is ${KB_LIMITS.tagMax}.`, 'tags');
    tags.push(tag);
  }
  if (tags.length > KB_LIMITS.tagsMax)
    throw new UserError('too_many_tags', `That is ${tags.length} tags; an article has at most ${KB_LIMITS.tagsMax}.`, 'tags');
  return tags;
}

// ---- saving ----------------------------------------------------------------------------------

/** Raised inside a transaction when another writer changed the article first; the unit is retried. */
export class ArticleConflict extends Error {
  constructor(readonly id: number) {
    super(`article #${id} changed concurrently`);
    this.name = 'ArticleConflict';
  }
}

/** change(), also retried when an article's optimistic revision check fails. */
export async function changeKb<T>(core: Core, req: Request, fn: (work: Work) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await change(core, req, fn);
    } catch (err) {
      if (!(err instanceof ArticleConflict)) throw err;
      if (attempt >= 3) throw new UserError('busy', `Article #${err.id} is being changed by someone else right now; try again.`);
    }
  }
}

/** Who wrote or edited an article, as kept with it. */
export function personOf(actor: Actor): KbPerson {
  const p = actor.person;
  return { platform: p.platform, space: p.space, id: p.id, name: actor.name };
}

/** Put a published article into the search index, or take any other out. */
export async function syncIndex(core: Core, work: Work, a: Article): Promise<void> {
  if (a.state === 'published') await core.search.put(work.db, { kind: 'article', ref: a.id, title: a.title, body: indexedBody(a) });
  else await core.search.remove(work.db, 'article', a.id);
}

export function indexedBody(a: Pick<Article, 'body' | 'tags'>): string {
  return a.tags.length > 0 ? `${a.body}\n\n${a.tags.join(' ')}` : a.body;
}

/** A version row: the article as saved, by whom, and what the save did. */
export async function recordVersion(work: Work, a: Article, actor: Actor, note: string): Promise<void> {
  await insertArticleVersion(work.db, {
    article: a.id,
    version: a.version,
    title: a.title,
    body: a.body,
    tags: a.tags,
    state: a.state,
    editor: personOf(actor),
    note,
    at: work.now,
  });
}

/**
 * Save a change to an article: revision-checked, the version bumped, a version row recorded, and
 * the search index brought in line with its (new) state. Returns the article as saved.
 */
export async function saveArticle(
  core: Core,
  work: Work,
  a: Article,
  actor: Actor,
  patch: Partial<Pick<Article, 'title' | 'body' | 'tags' | 'state'>>,
  note: string,
): Promise<Article> {
  const next: Article = { ...a, ...patch, version: a.version + 1, updatedAt: work.now, revision: a.revision + 1 };
  if (patch.state === 'published' && a.state !== 'published') next.publishedAt = work.now;
  const row: Parameters<typeof updateArticle>[3] = { version: next.version, updated_at: work.now };
  if (patch.title !== undefined) row.title = next.title;
  if (patch.body !== undefined) row.body = next.body;
  if (patch.tags !== undefined) row.tags = next.tags;
  if (patch.state !== undefined) row.state = next.state;
  if (next.publishedAt !== a.publishedAt) row.published_at = next.publishedAt ?? null;
  if (!(await updateArticle(work.db, a.id, a.revision, row))) throw new ArticleConflict(a.id);
  await recordVersion(work, next, actor, note);
  if (next.state === 'published' || a.state === 'published') await syncIndex(core, work, next);
  return next;
}
