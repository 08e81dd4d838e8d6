import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

/**
 * `tierdesk start` as people run it (bin/tierdesk.js, HTTP or gateway mode, delivery worker and
 * admission control included), in a process of its own, on a SQLite file in `dir`. The benches fire
 * at it from the platform's side and read the file to count what was stored.
 */
export interface TierdeskProcess {
  child: ChildProcess;
  /** Slack HTTP mode: where the receiver listens. */
  url: string | undefined;
  count(sql: string): number;
  /** Rows of a query on the database file (read-only). */
  rows<T>(sql: string, ...params: unknown[]): T[];
  /**
   * CPU time used so far (ms, user + system, from /proc): by the main thread (intake: the HTTP
   * server or gateway, admission, the use cases) and by the whole process (the delivery worker too).
   * Robust to a shared machine where wall-clock rates are not: a neighbour delays us, it does not
   * add to our CPU time. Undefined where /proc is not.
   */
  cpu(): { intakeMs: number; totalMs: number } | undefined;
  /** Poll until `sql` counts 0 (or `ms` passed); resolves with whether it did. */
  until0(sql: string, ms: number): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startTierdesk(dir: string, yaml: string, env: Record<string, string>): Promise<TierdeskProcess> {
  const config = join(dir, 'tierdesk.yaml');
  writeFileSync(config, yaml);
  const database = join(dir, 'intake.db');
  // BENCH_CPU_PROF=dir: write a V8 CPU profile of tierdesk (a .cpuprofile in dir) when it stops.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, fileURLToPath(new URL('../bin/tierdesk.js', import.meta.url)), 'start'], {
    env: { PATH: process.env.PATH ?? '', TIERDESK_CONFIG: config, DATABASE_URL: database, PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  // BENCH_TIERDESK_LOG=file: keep tierdesk's log lines (otherwise only the last ones are shown, on a failed start).
  if (process.env.BENCH_TIERDESK_LOG) child.stderr!.pipe(createWriteStream(process.env.BENCH_TIERDESK_LOG));
  const started = new Promise<string | undefined>((resolve, reject) => {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      for (const line of stderr.split('\n')) {
        if (!line.includes('"adapter started"')) continue;
        resolve((JSON.parse(line) as { url?: string }).url);
      }
      if (stderr.length > 100_000) stderr = stderr.slice(-10_000);
    });
    child.once('exit', (code) => reject(new Error(`tierdesk start exited (${code}): ${stderr.slice(-2000)}`)));
  });
  const url = await started;
  const db = new Database(database, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const count = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n);
  return {
    child,
    url,
    count,
    rows: <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[],
    cpu: () => processCpu(child.pid!),
    async until0(sql, ms) {
      const deadline = Date.now() + ms;
      while (count(sql) > 0) {
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return true;
    },
    async stop() {
      db.close();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** utime + stime of /proc/pid/task/tid/stat, in ms (fields 14 and 15, after the command in parentheses). */
function threadCpuMs(path: string): number {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ = 100 on Linux)
}

function processCpu(pid: number): { intakeMs: number; totalMs: number } | undefined {
  try {
    const tasks = readdirSync(`/proc/${pid}/task`);
    let totalMs = 0;
    for (const tid of tasks) totalMs += threadCpuMs(`/proc/${pid}/task/${tid}/stat`);
    return { intakeMs: threadCpuMs(`/proc/${pid}/task/${pid}/stat`), totalMs };
  } catch {
    return undefined;
  }
}

/** The p-th percentile of sorted values (ms, one decimal). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return -1;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 10) / 10;
}
