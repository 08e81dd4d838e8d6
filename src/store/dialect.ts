import { PostgresAdapter, type Kysely } from 'kysely';

/** The database engines tierdesk runs on. */
export type DialectName = 'sqlite' | 'postgres';

/** Does `url` (DATABASE_URL) name a PostgreSQL database rather than a SQLite file? */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim());
}

/**
 * Which engine a database (or a transaction on it) runs on, for the few queries that differ: row
 * locks that skip what another replica holds exist only on PostgreSQL.
 */
export function dialectOf<DB>(db: Kysely<DB>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** A database URL fit to print (src/store/url-secrets.ts). */
export { redactUrl } from './url-secrets.js';
