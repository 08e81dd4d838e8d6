import { sql } from 'kysely';
import { cleanLine } from '../domain/text.js';
import { indexableText, plainSnippet, searchTerms } from '../domain/search-query.js';
import type { Db } from './connect.js';
import { docId, docOf, type DocKind, type SearchDoc, type SearchHit, type SearchIndex } from './search.js';
import { clampLimit } from './search-sqlite.js';

/**
 * The tsquery text for `terms`: each word a quoted lexeme (`'` and `\` escaped), joined by `|`.
 * Inside quotes to_tsquery sees no operators, weights or prefixes; a word the english configuration
 * drops (a stop word) is left out of the query with a notice, never an error.
 */
export function tsQueryText(terms: readonly string[]): string {
  return terms.map((t) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');
}

/** Title (weight A) ten times the body (weight B); C and D are unused. */
const WEIGHTS = '{0.1, 0.1, 0.1, 1.0}';

/**
 * PostgreSQL: `search_docs(id, title, body, tsv)` where tsv is generated (title weighted A, body B)
 * and GIN-indexed. Ranked by ts_rank with the title weighing ten times the body; snippets by
 * ts_headline, only for the rows returned.
 */
export const postgresSearch: SearchIndex = {
  async put(db: Db, doc: SearchDoc): Promise<void> {
    const id = docId(doc.kind, doc.ref);
    const title = indexableText(doc.title);
    const body = indexableText(doc.body);
    await sql`insert into search_docs (id, title, body) values (${id}, ${title}, ${body})
      on conflict (id) do update set title = excluded.title, body = excluded.body`.execute(db);
  },

  async remove(db: Db, kind: DocKind, ref: number): Promise<void> {
    await sql`delete from search_docs where id = ${docId(kind, ref)}`.execute(db);
  },

  async search(db: Db, query: string, limit: number): Promise<SearchHit[]> {
    const terms = searchTerms(query);
    const n = clampLimit(limit);
    if (terms.length === 0 || n === 0) return [];
    const { rows } = await sql<{ id: number; title: string; snippet: string | null; score: number }>`
      select top.id, top.title, top.score,
        ts_headline('english', top.body, top.q,
          'StartSel="", StopSel="", MaxWords=16, MinWords=6, MaxFragments=1, FragmentDelimiter=" … "') as snippet
      from (
        select d.id, d.title, d.body, q.q, ts_rank(${WEIGHTS}::float4[], d.tsv, q.q) as score
        from search_docs d, to_tsquery('english', ${tsQueryText(terms)}) as q(q)
        where d.tsv @@ q.q
        order by score desc, d.id
        limit ${n}
      ) top
      order by top.score desc, top.id`.execute(db);
    return rows.map((r) => ({
      ...docOf(Number(r.id)),
      title: r.title,
      score: Number(r.score),
      snippet: cleanLine(plainSnippet(r.snippet ?? '')),
    }));
  },
};
