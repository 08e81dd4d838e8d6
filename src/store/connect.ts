import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect } from 'kysely';
import pg from 'pg';
import { isPostgresUrl } from './dialect.js';
import { withPreparedStatements } from './prepared.js';
import { redactSecretsOf } from './url-secrets.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DatabaseOptions {
  /**
   * PostgreSQL: told when a pooled connection breaks (the server restarted, a network cut, a backend
   * terminated). The pool drops that connection and opens a new one on next use; nothing to do but log.
   */
  onConnectionError?: (err: Error) => void;
}

/**
 * Open the database named by `url`: a PostgreSQL URL (`postgres://` or `postgresql://`), a SQLite
 * file path (its folder is created) or `:memory:`.
 * SQLite runs in WAL mode with synchronous=NORMAL: a commit survives a process crash; only an OS
 * crash or power loss can lose the last transactions, the usual trade for an embedded help desk.
 */
export function openDatabase(url: string, options: DatabaseOptions = {}): Db {
  if (isPostgresUrl(url)) return openPostgres(url.trim(), options);
  const path = url.replace(/^sqlite:(\/\/)?/i, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // Checkpoint every ~40 MB of WAL rather than every 4 MB: each checkpoint syncs, and frequent ones
  // were the slowest 1% of commits (p99 of opening a ticket 2.9 ms → 0.9 ms).
  sqlite.pragma('wal_autocheckpoint = 10000');
  return new Kysely<Database>({ dialect: new DirectSqliteDialect(withStatementCache(sqlite)) });
}

/**
 * SQLite's adapter, holding the connection itself: a transaction owns that one connection until it
 * ends, so the statements it runs on every ticket may call the driver directly (`sqliteOf`).
 */
class DirectSqliteAdapter extends SqliteAdapter {
  constructor(readonly sqlite: SQLite.Database) {
    super();
  }
}

class DirectSqliteDialect extends SqliteDialect {
  constructor(private readonly sqlite: SQLite.Database) {
    super({ database: sqlite });
  }

  override createAdapter(): SqliteAdapter {
    return new DirectSqliteAdapter(this.sqlite);
  }
}

/**
 * The SQLite connection under `db` when `db` is a transaction on SQLite, else undefined. Only a
 * transaction may use it: it holds kysely's lock on the one connection, so nothing else runs on it
 * in between; outside one, a statement run directly could land in another unit's transaction.
 */
export function sqliteOf(db: Db): SQLite.Database | undefined {
  if (!db.isTransaction) return undefined;
  const adapter = db.getExecutor().adapter;
  return adapter instanceof DirectSqliteAdapter ? adapter.sqlite : undefined;
}

/** PostgreSQL type ids whose text pg would hand us as strings: int8 (bigint, count(*)) and numeric (sum). */
const INT8 = 20;
const NUMERIC = 1700;

/**
 * A pool of connections to PostgreSQL. Instants are bigint epoch milliseconds and counts are int8;
 * pg returns both as strings (a bigint may exceed 2^53), but ours never do, so this pool parses them
 * to numbers, on its own connections only (pg's global parsers stay untouched for other code).
 * Connection parameters come from the URL, including `?options=-c search_path=...` for a schema.
 */
function openPostgres(url: string, options: DatabaseOptions): Db {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8 || oid === NUMERIC ? (text: string) => Number(text) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({
    connectionString: url,
    types,
    idleTimeoutMillis: 30_000,
    // An unreachable server fails a request in seconds (a clear "try again") instead of hanging it,
    // and TCP keepalive finds a connection whose server vanished without closing it.
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
  });
  // pg emits 'error' on a client whose connection breaks: the pool re-emits it for idle clients, and
  // a client checked out (a transaction between two statements) emits it itself. Either, unheard,
  // would crash the process. The pool drops a broken client (when idle at once, when checked out on
  // release); the next query opens a fresh connection, so tierdesk reconnects on its own once the
  // server is back, and whoever was using the broken one gets the error from their query.
  // An idle client's error reaches both listeners (the same object): told once.
  const told = new WeakSet<Error>();
  const report = (err: Error) => {
    if (told.has(err)) return;
    told.add(err);
    // pg's messages can hold a piece of a password it misread as a host name (ENOTFOUND).
    err.message = redactSecretsOf(url, err.message);
    options.onConnectionError?.(err);
  };
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool) }) });
}

/** Network failures: the server (or the way to it) is down, not the request wrong. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EPIPE',
  'EAI_AGAIN',
]);
/**
 * PostgreSQL SQLSTATEs meaning "not now": class 08 (connection exception), 57P01 admin_shutdown,
 * 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up, in recovery), 53300 too_many_connections.
 */
const UNAVAILABLE_STATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
/** What pg says when a connection ends under a query, or cannot be had in time. */
const UNAVAILABLE_MESSAGE = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect/i;

/**
 * Whether `err` means the database cannot be reached right now (so the request may simply be tried
 * again later), as opposed to a bug or a refused request. Looks through `cause` and AggregateError.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || UNAVAILABLE_STATE.test(e.code))) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** What a person is told when their request failed because the database cannot be reached. */
export const DATABASE_UNAVAILABLE_REPLY = "tierdesk can't reach its database right now; nothing was changed. Please try again in a minute.";

/**
 * Kysely prepares every query anew; preparing costs more than running a small statement. The same
 * SQL text always compiles to the same statement, so keep them (bounded). Safe because kysely runs
 * one query at a time on this connection.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') {
        return (asked: string) => {
          // A transaction takes the write lock when it begins: with a second connection on the file
          // (the delivery worker), a deferred one that read first could not upgrade to write once
          // the other committed (SQLITE_BUSY at once, past the busy timeout).
          const source = asked === 'begin' ? 'begin immediate' : asked;
          let stmt = cache.get(source);
          if (!stmt) {
            stmt = target.prepare(source);
            if (cache.size >= max) cache.delete(cache.keys().next().value!);
            cache.set(source, stmt);
          }
          return stmt;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
