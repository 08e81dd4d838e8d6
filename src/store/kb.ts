import { sql } from 'kysely';
import type { Db } from './connect.js';
import { nextCounter } from './counters.js';
import { dialectOf } from './dialect.js';
import type { KbArticleRow, KbArticlesTable, KbArticleVersionsTable } from './schema.js';

/** The knowledge base's tables: articles, their saved versions, and votes. */

/** Who wrote or edited an article, as kept with it. */
export interface KbPerson {
  platform: string;
  space: string;
  id: string;
  name: string;
}

/** An article row with its JSON columns decoded (tags, author): what the use cases read and write. */
export type KbArticleRecord = Omit<KbArticlesTable, 'tags' | 'author'> & { tags: string[]; author: KbPerson };
/** A saved version with its JSON columns decoded (tags, editor). */
export type KbVersionRecord = Omit<KbArticleVersionsTable, 'tags' | 'editor'> & { tags: string[]; editor: KbPerson };

/** The one place an article row's JSON columns are read. */
function decodeArticle(r: KbArticleRow): KbArticleRecord {
  return { ...r, tags: JSON.parse(r.tags) as string[], author: JSON.parse(r.author) as KbPerson };
}

/** Allocate the next article id (the `article` counter), inside the caller's transaction. */
export async function nextArticleId(db: Db): Promise<number> {
  return nextCounter(db, 'article');
}

export async function insertArticle(db: Db, row: KbArticleRecord): Promise<void> {
  await db
    .insertInto('kb_articles')
    .values({ ...row, tags: JSON.stringify(row.tags), author: JSON.stringify(row.author) })
    .execute();
}

export async function findArticle(db: Db, id: number): Promise<KbArticleRecord | undefined> {
  const row = await db.selectFrom('kb_articles').selectAll().where('id', '=', id).executeTakeFirst();
  return row && decodeArticle(row);
}

/**
 * Lock the article's row until the caller's transaction ends (PostgreSQL; a SQLite transaction
 * already runs alone), so read-then-write changes to it (votes) happen one after another.
 */
export async function lockArticle(db: Db, id: number): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await db.selectFrom('kb_articles').select('id').where('id', '=', id).forNoKeyUpdate().execute();
}

/**
 * Lock the ticket or peer question an article is saved from, until the caller's transaction ends
 * (PostgreSQL; SQLite transactions already run one at a time), so two saves of one source run one
 * after the other and the second sees the first's draft. Nothing to lock when it does not exist.
 */
export async function lockArticleSource(db: Db, kind: 'ticket' | 'question', ref: number): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  if (kind === 'ticket') await db.selectFrom('tickets').select('number').where('number', '=', ref).forNoKeyUpdate().execute();
  else await db.selectFrom('peer_questions').select('number').where('number', '=', ref).forNoKeyUpdate().execute();
}

export async function findArticles(db: Db, ids: number[]): Promise<KbArticleRecord[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('kb_articles').selectAll().where('id', 'in', ids).execute()).map(decodeArticle);
}

/**
 * Write `patch` only if nobody changed the article since `revision` was read; bumps the revision.
 * False when someone else got there first.
 */
export async function updateArticle(
  db: Db,
  id: number,
  revision: number,
  patch: Partial<Omit<KbArticleRecord, 'id' | 'revision' | 'author'>>,
): Promise<boolean> {
  const { tags, ...rest } = patch;
  const result = await db
    .updateTable('kb_articles')
    .set({ ...rest, ...(tags !== undefined ? { tags: JSON.stringify(tags) } : {}), revision: revision + 1 })
    .where('id', '=', id)
    .where('revision', '=', revision)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A non-deleted article already made from this ticket or question, if any. */
export async function findArticleBySource(db: Db, kind: 'ticket' | 'question', ref: number): Promise<KbArticleRecord | undefined> {
  const row = await db
    .selectFrom('kb_articles')
    .selectAll()
    .where('source_kind', '=', kind)
    .where('source_ref', '=', String(ref))
    .where('state', '<>', 'deleted')
    .orderBy('id')
    .executeTakeFirst();
  return row && decodeArticle(row);
}

export async function listArticlesIn(db: Db, state: string, limit: number): Promise<KbArticleRecord[]> {
  const rows = await db
    .selectFrom('kb_articles')
    .selectAll()
    .where('state', '=', state)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(decodeArticle);
}

export async function insertArticleVersion(db: Db, row: KbVersionRecord): Promise<void> {
  await db
    .insertInto('kb_article_versions')
    .values({ ...row, tags: JSON.stringify(row.tags), editor: JSON.stringify(row.editor) })
    .execute();
}

export async function listArticleVersions(db: Db, id: number): Promise<KbVersionRecord[]> {
  const rows = await db.selectFrom('kb_article_versions').selectAll().where('article', '=', id).orderBy('version').execute();
  return rows.map((r) => ({
    ...r,
    version: Number(r.version),
    at: Number(r.at),
    article: Number(r.article),
    tags: JSON.parse(r.tags) as string[],
    editor: JSON.parse(r.editor) as KbPerson,
  }));
}

export async function findVote(db: Db, article: number, voter: string): Promise<string | undefined> {
  const row = await db.selectFrom('kb_votes').select('vote').where('article', '=', article).where('voter', '=', voter).executeTakeFirst();
  return row?.vote;
}

export async function saveVote(db: Db, article: number, voter: string, vote: string, at: number, existed: boolean): Promise<void> {
  if (existed) await db.updateTable('kb_votes').set({ vote, at }).where('article', '=', article).where('voter', '=', voter).execute();
  else await db.insertInto('kb_votes').values({ article, voter, vote, at }).execute();
}

/** Move the article's vote counts by the given amounts (no revision bump: votes are not edits). */
export async function bumpVotes(db: Db, article: number, helpful: number, notHelpful: number): Promise<void> {
  await db
    .updateTable('kb_articles')
    .set({ helpful: sql<number>`helpful + ${helpful}`, not_helpful: sql<number>`not_helpful + ${notHelpful}` })
    .where('id', '=', article)
    .execute();
}
