import type { Db } from './connect.js';

/**
 * Full-text search over the knowledge: published articles and solved peer questions. One
 * interface, one implementation per dialect (src/store/search-index.ts picks): SQLite FTS5 with
 * bm25, PostgreSQL tsvector with websearch_to_tsquery. Raw user text never reaches the engine as
 * query syntax: implementations quote every word.
 */
export type DocKind = 'article' | 'question';

export interface SearchDoc {
  kind: DocKind;
  /** The article id or question number. */
  ref: number;
  title: string;
  /** Plain text or Markdown: the article body, or a question with its accepted answers. */
  body: string;
}

export interface SearchHit {
  kind: DocKind;
  ref: number;
  title: string;
  /** Higher is better; comparable only within one search. */
  score: number;
  /** A short excerpt of the body around the matched words, plain text. */
  snippet: string;
}

export interface SearchIndex {
  /** Add or replace a document (inside the caller's transaction when `db` is one). */
  put(db: Db, doc: SearchDoc): Promise<void>;
  remove(db: Db, kind: DocKind, ref: number): Promise<void>;
  /**
   * The best matches, best first. Any text is a valid query: words are quoted, syntax characters
   * are just characters; a query with no searchable word returns [].
   */
  search(db: Db, query: string, limit: number): Promise<SearchHit[]>;
}

/** `search_docs` ids: article N → 2N, question N → 2N + 1. */
export function docId(kind: DocKind, ref: number): number {
  return kind === 'article' ? ref * 2 : ref * 2 + 1;
}

export function docOf(id: number): { kind: DocKind; ref: number } {
  return id % 2 === 0 ? { kind: 'article', ref: id / 2 } : { kind: 'question', ref: (id - 1) / 2 };
}

/** `article:12` / `question:3`, as deflection records name documents. */
export function docKey(kind: DocKind, ref: number): string {
  return `${kind}:${ref}`;
}
