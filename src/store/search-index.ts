import type { Db } from './connect.js';
import { dialectOf } from './dialect.js';
import { postgresSearch } from './search-postgres.js';
import { sqliteSearchIndex } from './search-sqlite.js';
import type { SearchIndex } from './search.js';

const indexes = new WeakMap<Db, SearchIndex>();

/**
 * The search index for `db`'s engine: FTS5 on SQLite, tsvector on PostgreSQL. One per database
 * (the SQLite one caches how many documents have each word), so call it with the database, not a
 * transaction; its methods take either.
 */
export function searchIndexFor(db: Db): SearchIndex {
  let index = indexes.get(db);
  if (!index) {
    index = dialectOf(db) === 'postgres' ? postgresSearch : sqliteSearchIndex();
    indexes.set(db, index);
  }
  return index;
}
