import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/**
 * Open the database named by `url`: a SQLite file path (its folder is created) or `:memory:`.
 * SQLite runs in WAL mode with synchronous=NORMAL: a commit survives a process crash; only an OS
 * crash or power loss can lose the last transactions, the usual trade for an embedded help desk.
 */
export function openDatabase(url: string): Db {
  if (/^postgres(ql)?:\/\//i.test(url)) throw new Error('PostgreSQL is not supported yet');
  const path = url.replace(/^sqlite:(\/\/)?/i, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}
