/** `tierdesk migrate [--down-all [--yes]]`: the schema, up to date, or (confirmed) removed. */
import { basename } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Io } from './io.js';
import type { Args } from './args.js';
import { openDatabase } from '../store/connect.js';
import { isPostgresUrl } from '../store/dialect.js';
import { migrateDownAll, migrateToLatest } from '../store/migrate.js';

/** The name a person types to confirm dropping a database: PostgreSQL's database name, or the SQLite file's name. */
export function databaseName(url: string): string {
  if (isPostgresUrl(url)) {
    try {
      return decodeURIComponent(new URL(url.trim()).pathname.replace(/^\//, '')) || 'postgres';
    } catch {
      return url;
    }
  }
  const path = url.replace(/^sqlite:(\/\/)?/i, '');
  return path === ':memory:' ? path : basename(path);
}

/**
 * Dropping data is confirmed before the database is even opened: `--yes`, or the database's name typed
 * at a terminal. Without a terminal and without `--yes` it is refused (exit 2): a script must say so.
 */
async function confirmDownAll(io: Io, args: Args, url: string): Promise<number | undefined> {
  if (args.flags.has('yes')) return undefined;
  const name = databaseName(url);
  if (io.stdin.isTTY !== true) {
    io.stderr.write(`tierdesk migrate --down-all drops every tierdesk table of "${name}" and its data: add --yes to confirm (no terminal to ask)\n`);
    return 2;
  }
  const prompt = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
  try {
    io.stderr.write(`This reverts every migration and drops every tierdesk table of "${name}", with its data.\n`);
    const typed = await prompt.question(`Type the database's name (${name}) to confirm: `);
    if (typed.trim() === name) return undefined;
    io.stderr.write(`"${typed.trim()}" is not "${name}": nothing was changed\n`);
    return 1;
  } finally {
    prompt.close();
  }
}

export async function migrateCommand(io: Io, args: Args, url: string): Promise<number> {
  const down = args.flags.has('down-all');
  if (!down && args.flags.has('yes')) {
    io.stderr.write('tierdesk migrate: --yes only confirms --down-all\n');
    return 2;
  }
  if (down) {
    const refused = await confirmDownAll(io, args, url);
    if (refused !== undefined) return refused;
  }
  const db = openDatabase(url);
  try {
    const done = down ? await migrateDownAll(db) : await migrateToLatest(db);
    io.stdout.write(`${done.length > 0 ? done.join('\n') : 'The database is up to date.'}\n`);
    return 0;
  } finally {
    await db.destroy();
  }
}
