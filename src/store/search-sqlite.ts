import { sql } from 'kysely';
import { indexableText, plainSnippet, searchTerms } from '../domain/search-query.js';
import { cleanLine } from '../domain/text.js';
import type { Db } from './connect.js';
import { docId, docOf, type DocKind, type SearchDoc, type SearchHit, type SearchIndex } from './search.js';

/** The most hits one search returns, whatever the caller asks. */
export const MAX_LIMIT = 100;

export function clampLimit(limit: number): number {
  if (!Number.isFinite(limit) || limit < 1) return 0;
  return Math.min(Math.floor(limit), MAX_LIMIT);
}

/** An FTS5 string: the word in double quotes, an inner `"` doubled. FTS5 sees no syntax inside. */
export function ftsString(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** The FTS5 query matching any of `terms`, each a quoted string. */
export function ftsMatch(terms: readonly string[]): string {
  return terms.map(ftsString).join(' OR ');
}

export interface SqliteSearchOptions {
  /**
   * The most documents bm25 ranks in one search (default 4,000). bm25 costs about a microsecond
   * per matching document, plus a pass over each word's list of documents for its IDF: a word in
   * half of 100,000 articles would cost some 50 ms. Within this budget a search takes a few ms.
   */
  budget?: number;
  /** How long a count of documents is trusted (default 60 s; a put or remove here forgets them all). */
  countTtlMs?: number;
}

interface Row {
  id: number;
  title: string;
  snippet: string | null;
}

/** How many of the best-ranked documents are re-ranked by the common words they contain. */
const RERANKED = 40;
/** How many common words (the rarest of them) take part in that re-ranking. */
const COORDINATED = 3;

/** The best `n` by bm25 for `match`: ids and scores (higher is better). */
async function ranked(db: Db, match: string, n: number): Promise<Array<{ id: number; score: number }>> {
  // Rank on ids alone: SQLite would otherwise build a snippet for every matching row.
  const { rows } = await sql<{ id: number; b: number }>`
    select rowid as id, bm25(search_docs, 10.0, 1.0) as b from search_docs
    where search_docs match ${match} order by b limit ${n}`.execute(db);
  // bm25 is negative, lower is better.
  return rows.map((r) => ({ id: Number(r.id), score: -Number(r.b) }));
}

/** Which of `ids` contain `term`. */
async function containing(db: Db, term: string, ids: number[]): Promise<Set<number>> {
  const { rows } = await sql<{ id: number }>`
    select rowid as id from search_docs where search_docs match ${ftsString(term)} and rowid in (${sql.join(ids.map(rowid))})`.execute(db);
  return new Set(rows.map((r) => Number(r.id)));
}

/** Titles and snippets of `ids`, the snippets around what `match` matches. */
async function details(db: Db, match: string, ids: number[]): Promise<Map<number, Row>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<Row>`
    select rowid as id, title, snippet(search_docs, 1, '', '', '…', 12) as snippet from search_docs
    where search_docs match ${match} and rowid in (${sql.join(ids.map(rowid))})`.execute(db);
  return new Map(rows.map((r) => [Number(r.id), r]));
}

/** Up to `n` ids having the common `terms`, newest first, best kind of match first, none of `skip`. */
async function filled(db: Db, terms: string[], n: number, skip: Set<number>): Promise<number[]> {
  const words = terms.slice(0, 2).map(ftsString);
  const all = words.join(' AND ');
  const tiers = [`{title} : (${all})`, all, ...(words.length > 1 ? [words.join(' OR ')] : [])];
  const out: number[] = [];
  for (const match of tiers) {
    if (out.length >= n) break;
    const { rows } = await sql<{ id: number }>`
      select rowid as id from search_docs where search_docs match ${match}
      order by rowid desc limit ${n - out.length + skip.size}`.execute(db);
    for (const { id } of rows) {
      if (out.length < n && !skip.has(Number(id))) {
        out.push(Number(id));
        skip.add(Number(id));
      }
    }
  }
  return out;
}

/** The hits in `top`'s order with their titles and snippets (a document removed meanwhile is left out). */
async function withDetails(db: Db, match: string, top: Array<{ id: number; score: number }>): Promise<SearchHit[]> {
  const rows = await details(
    db,
    match,
    top.map((t) => t.id),
  );
  return top.flatMap((t) => {
    const row = rows.get(t.id);
    return row ? [{ ...docOf(t.id), title: row.title, score: t.score, snippet: cleanLine(plainSnippet(row.snippet ?? '')) }] : [];
  });
}

/**
 * SQLite: the FTS5 table `search_docs(title, body)` (tokenizer `porter unicode61 remove_diacritics
 * 2`, rowid = docId), ranked by bm25 with the title weighing ten times the body.
 *
 * Staying fast on a large index. Each word's documents are counted (up to the budget, cached).
 * - When the documents having any of the words fit the budget (always on a small index), the
 *   ranking is bm25 over all of them: exact.
 * - Otherwise the rarest words whose documents fit the budget are ranked by bm25; the other words
 *   are "common" (say `outlook` in 40% of the articles; their IDF is low) and only re-rank the best
 *   40 of those: a document's score is multiplied by (1 + common words it has) / (1 + common words
 *   asked), for the 3 rarest common words (Lucene's coordination factor).
 * - When that finds fewer documents than asked for, or every word is common, the rest are filled,
 *   scored below every ranked hit: the newest documents having the two rarest common words in
 *   the title, then anywhere, then either.
 */
export function sqliteSearchIndex(options: SqliteSearchOptions = {}): SearchIndex {
  const budget = options.budget ?? 4_000;
  const ttl = options.countTtlMs ?? 60_000;
  const counts = new Map<string, { n: number; at: number }>();

  /** How many documents match `match`, up to budget + 1 (meaning "more than the budget"). */
  async function documents(db: Db, match: string): Promise<number> {
    const now = Date.now();
    const cached = counts.get(match);
    if (cached && now - cached.at < ttl) return cached.n;
    const { rows } = await sql<{ n: number }>`select count(*) as n from (
        select 1 from search_docs where search_docs match ${match} limit ${budget + 1})`.execute(db);
    const n = Number(rows[0]?.n ?? 0);
    if (counts.size >= 10_000) counts.clear();
    counts.set(match, { n, at: now });
    return n;
  }

  async function search(db: Db, query: string, limit: number): Promise<SearchHit[]> {
    const terms = searchTerms(query);
    const n = clampLimit(limit);
    if (terms.length === 0 || n === 0) return [];
    const sized: Array<{ term: string; n: number }> = [];
    for (const term of terms) sized.push({ term, n: await documents(db, ftsString(term)) });
    const total = sized.reduce((sum, s) => sum + s.n, 0);
    const any = ftsMatch(terms);
    if (total <= budget || (await documents(db, any)) <= budget) return withDetails(db, any, await ranked(db, any, n));

    sized.sort((a, b) => a.n - b.n);
    const rare: string[] = [];
    const common: string[] = [];
    let used = 0;
    for (const s of sized) {
      if (used + s.n <= budget) {
        rare.push(s.term);
        used += s.n;
      } else common.push(s.term);
    }
    // The full query for snippets: they show whichever of the words a document has.
    let top: Array<{ id: number; score: number }> = [];
    if (rare.length > 0) {
      top = await ranked(db, ftsMatch(rare), Math.max(n, RERANKED));
      const coordinated = common.slice(0, COORDINATED);
      if (top.length > 1 && coordinated.length > 0) {
        const ids = top.map((t) => t.id);
        const has: Array<Set<number>> = [];
        for (const term of coordinated) has.push(await containing(db, term, ids));
        const factor = (id: number) => (1 + has.filter((set) => set.has(id)).length) / (1 + coordinated.length);
        top = top.map((t, i) => ({ ...t, score: t.score * factor(t.id), i })).sort((a, b) => b.score - a.score || a.i - b.i);
      }
      top = top.slice(0, n);
    }
    if (top.length < n) {
      const more = await filled(db, common, n - top.length, new Set(top.map((t) => t.id)));
      // Below every ranked hit, in the order found.
      const floor = top.length > 0 ? Math.min(...top.map((t) => t.score)) : 1;
      top.push(...more.map((id, i) => ({ id, score: (floor * (more.length - i)) / (more.length + 1) })));
    }
    return withDetails(db, any, top);
  }

  return {
    async put(db: Db, doc: SearchDoc): Promise<void> {
      const id = docId(doc.kind, doc.ref);
      counts.clear();
      // FTS5 has no upsert: a replaced document is deleted, then inserted again.
      await sql`delete from search_docs where rowid = ${rowid(id)}`.execute(db);
      await sql`insert into search_docs (rowid, title, body) values (${rowid(id)}, ${indexableText(doc.title)}, ${indexableText(doc.body)})`.execute(
        db,
      );
    },

    async remove(db: Db, kind: DocKind, ref: number): Promise<void> {
      counts.clear();
      await sql`delete from search_docs where rowid = ${rowid(docId(kind, ref))}`.execute(db);
    },

    search,
  };
}

/**
 * A rowid bound as an INTEGER. better-sqlite3 binds a JS number as a REAL, and FTS5 (SQLite 3.53)
 * silently ignores a `rowid = ?` constraint next to MATCH when the value is a REAL: the query then
 * returns every match (a one-element `rowid in (?)` is the same constraint).
 */
function rowid(id: number) {
  return sql`cast(${id} as integer)`;
}
