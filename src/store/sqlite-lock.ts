import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';

/** A second `tierdesk start` on a SQLite file another live process serves. */
export class DatabaseInUse extends Error {
  constructor(
    readonly file: string,
    readonly holder: string,
  ) {
    super(`The database ${file} is in use by another tierdesk (${holder}); stop it first, or remove ${file}.lock if that process is gone.`);
    this.name = 'DatabaseInUse';
  }
}

export interface SqliteLock {
  /** Remove the lock file (only if it is still ours). */
  release(): void;
}

/** The SQLite file a database URL names, or undefined for PostgreSQL and `:memory:`. */
export function sqliteFileOf(url: string): string | undefined {
  if (/^postgres(ql)?:\/\//i.test(url.trim())) return undefined;
  const path = url.replace(/^sqlite:(\/\/)?/i, '');
  return path === ':memory:' ? undefined : resolve(path);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false; // our own pid: a previous life of a container's process 1
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/**
 * Claim a SQLite file for this process: `<file>.lock` holds our pid and host, created exclusively. A
 * lock whose process is dead (kill -9, a crash) is taken over; a live one refuses with DatabaseInUse.
 * Only one process may serve a SQLite file, so a process holding the lock knows every lease in the
 * file belongs to a dead process (see releaseAllLeases).
 */
export function lockSqliteFile(file: string): SqliteLock {
  const path = `${file}.lock`;
  const me = `${process.pid} ${hostname()}\n`;
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, me);
      closeSync(fd);
      return {
        release: () => {
          try {
            if (readFileSync(path, 'utf8') === me) unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: string;
    try {
      holder = readFileSync(path, 'utf8');
    } catch {
      continue; // removed meanwhile: try again
    }
    const [pidText, host] = holder.trim().split(/\s+/);
    const pid = Number(pidText);
    // A lock from another machine (a shared disk) cannot be checked: it is honoured.
    if (isAlive(pid) || (host !== undefined && host !== hostname() && Number.isInteger(pid)))
      throw new DatabaseInUse(file, `process ${pid}${host !== undefined && host !== hostname() ? ` on ${host}` : ''}`);
    try {
      unlinkSync(path); // stale: its process is gone
    } catch {
      // another starter removed it first; the exclusive create decides between us
    }
  }
  throw new DatabaseInUse(file, 'a process starting at the same moment');
}

/**
 * Run `serve` holding the lock of the SQLite file `url` names (PostgreSQL: no lock, replicas share
 * it). `soleUser` tells `serve` that no other live process uses the database. A file in use is
 * refused at once, with one line on `stderr` naming it (exit code 1).
 */
export async function holdingDatabase(url: string, stderr: NodeJS.WritableStream, serve: (soleUser: boolean) => Promise<number>): Promise<number> {
  const file = sqliteFileOf(url);
  let lock: SqliteLock | undefined;
  try {
    lock = file !== undefined ? lockSqliteFile(file) : undefined;
  } catch (err) {
    if (!(err instanceof DatabaseInUse)) throw err;
    stderr.write(`${err.message}\n`);
    return 1;
  }
  try {
    return await serve(lock !== undefined);
  } finally {
    lock?.release();
  }
}
