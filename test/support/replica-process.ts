import { fork, type ChildProcess } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createDesk } from '../../src/core/desk.js';
import { createIdSource } from '../../src/core/ids.js';
import { DEMO_CONFIG_YAML, loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import { systemClock, type Card, type ChatAdapter, type Place } from '../../src/ports.js';
import { openDatabase, type Db } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { insertOutbox, type NewOutboxItem } from '../../src/store/outbox.js';
import { setTimers } from '../../src/store/timers.js';

/**
 * One tierdesk replica in a process of its own, for the multi-replica tests (test/scale) and bench
 * (bench/scale.ts): the real desk (router, dispatcher, scheduler) on a PostgreSQL schema shared with
 * the other replicas, with
 * - a chat adapter that records each delivery as a row of `scale_deliveries` (outbox id = the card's
 *   title, conversation, replica, when) in the same database, and
 * - a handler for `scale` timers that records each fire as a row of `scale_fires`, inside the
 *   transaction that deletes the timer (as every timer handler runs).
 * Neither table has a unique key, so a second delivery or fire would be a second row, to be counted.
 *
 * The parent talks to it over IPC: the replica says `ready` once connected (and migrated, if asked)
 * and starts its loops on `go`; `stop` stops it gracefully. A replica told to freeze after N posts
 * stops there as a hung process would, holding its leases: every later post hangs before it reaches
 * the platform (before its delivery row) and, with `freezeFires`, the next fire hangs inside its
 * transaction (after its fire row, not committed). It says so (`frozen`), so the parent can kill it.
 */

/** What a replica process is told through its environment. */
export interface ReplicaOptions {
  /** PostgreSQL URL with the shared schema in its search_path. */
  url: string;
  name: string;
  /** Lease length for the dispatcher and the scheduler. */
  leaseMs: number;
  /** Freeze (hang, holding leases) on the post after this many posts. */
  freezeAfterPosts?: number;
  /** Once posts are frozen, freeze inside the next fire of a `scale` timer too (so both hang together). */
  freezeFires?: boolean;
  /** Outbox rows the dispatcher reads per pass. */
  batch?: number;
  /**
   * Run the migrations at start (under kysely's lock, so replicas starting together migrate once).
   * Off by default: the parent has migrated (see migrateAmidOthers for why that is not left to
   * three processes while other test runs share the database).
   */
  migrate?: boolean;
}

export type ReplicaMessage =
  | { type: 'ready' }
  | { type: 'frozen'; what: 'post'; outbox: string }
  | { type: 'frozen'; what: 'fire'; subject: string }
  /** Frozen, and no post that got past the freeze is still running (sent once). */
  | { type: 'posts-quiet' }
  /** Stopped; `cpuMs`: the CPU time (user + system) the process spent since it was told to go. */
  | { type: 'stopped'; cpuMs: number };

export const TIMER_KIND = 'scale';

// ───────────────────────────── the parent's side ─────────────────────────────

/**
 * migrateToLatest, tried again (up to 5 times) when it fails only because another schema in the same
 * database vanished under it: kysely's Migrator lists every table of every schema (calling
 * pg_get_serial_sequence per column) to find its own, and a test run dropping its schema at that
 * moment makes that query fail with `schema "…" does not exist`. Other failures are thrown at once.
 */
export async function migrateAmidOthers(db: Db, schema?: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(db);
      return;
    } catch (err) {
      const other = /schema "([^"]+)" does not exist/.exec(err instanceof Error ? err.message : String(err))?.[1];
      if (other === undefined || other === schema || attempt >= 5) throw err;
    }
  }
}

/** The delivery and fire records, beside tierdesk's tables. `seq` is the global order of records. */
export async function createRecordTables(db: Db): Promise<void> {
  await sql`create table scale_deliveries (seq bigserial primary key, outbox text not null, conversation text not null, replica text not null, at bigint not null)`.execute(
    db,
  );
  await sql`create table scale_fires (seq bigserial primary key, subject text not null, replica text not null, at bigint not null)`.execute(db);
}

/** `count` timers of kind `scale`, subjects `0`…`count-1`, all due at `dueAt`. */
export async function addDueTimers(db: Db, count: number, dueAt: number): Promise<void> {
  for (let i = 0; i < count; i += 1000) {
    const timers = Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({ kind: TIMER_KIND, subject: String(i + j), dueAt }));
    await setTimers(db, timers, dueAt);
  }
}

/**
 * `count` outbox posts due at `dueAt`, spread round-robin over `conversations` channels (`c0`, `c1`,
 * …), in id order; the card's title is the row's id. Returns the ids per channel, in order.
 */
export async function addDueOutbox(db: Db, count: number, conversations: number, dueAt: number): Promise<Map<string, string[]>> {
  const newId = createIdSource(() => dueAt);
  const byChannel = new Map<string, string[]>();
  const rows = Array.from({ length: count }, (_, i): NewOutboxItem => {
    const id = newId();
    const channel = `c${i % conversations}`;
    byChannel.set(channel, [...(byChannel.get(channel) ?? []), id]);
    const place: Place = { platform: 'console', space: 'scale', channel };
    const card: Card = { title: id, fallback: id };
    return {
      id,
      created_at: dueAt,
      target: { kind: 'place', place },
      message_key: null,
      ticket: null,
      side: null,
      body: { op: 'post', card },
      next_attempt_at: dueAt,
    };
  });
  for (let i = 0; i < rows.length; i += 1000) await insertOutbox(db, rows.slice(i, i + 1000));
  return byChannel;
}

export interface Replica {
  name: string;
  child: ChildProcess;
  /** Every message it sent so far. */
  readonly seen: ReplicaMessage[];
  /** Resolves with the first message (past or future) that matches; rejects if the process exits first. */
  next<T extends ReplicaMessage>(match: (m: ReplicaMessage) => m is T): Promise<T>;
  send(message: { type: 'go' } | { type: 'stop' }): void;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start a replica process (tsx); its output goes to ours. */
export function startReplica(options: ReplicaOptions): Replica {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TIERDESK_REPLICA: JSON.stringify(options),
  };
  // BENCH_CPU_PROF=dir: each replica writes a V8 CPU profile (a .cpuprofile in dir) when it exits.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = fork(ENTRY, [], { execArgv: [...profile, '--import', 'tsx'], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const seen: ReplicaMessage[] = [];
  const waiters = new Set<{ match: (m: ReplicaMessage) => boolean; resolve: (m: ReplicaMessage) => void; reject: (e: Error) => void }>();
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.on('message', (m: ReplicaMessage) => {
    seen.push(m);
    for (const w of [...waiters]) {
      if (!w.match(m)) continue;
      waiters.delete(w);
      w.resolve(m);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      for (const w of waiters) w.reject(new Error(`replica ${options.name} exited (${signal ?? code}) before the message the test waited for`));
      waiters.clear();
      resolve(exit);
    });
  });
  return {
    name: options.name,
    child,
    seen,
    next<T extends ReplicaMessage>(match: (m: ReplicaMessage) => m is T): Promise<T> {
      const past = seen.find(match);
      if (past) return Promise.resolve(past);
      if (exit) return Promise.reject(new Error(`replica ${options.name} has exited (${exit.signal ?? exit.code})`));
      return new Promise<T>((resolve, reject) => waiters.add({ match, resolve: resolve as (m: ReplicaMessage) => void, reject }));
    },
    send(message) {
      if (child.connected) child.send(message);
    },
    exited,
  };
}

export const isType =
  <K extends ReplicaMessage['type']>(type: K) =>
  (m: ReplicaMessage): m is Extract<ReplicaMessage, { type: K }> =>
    m.type === type;

/** Stop replicas gracefully (in parallel); kill any that does not exit within `ms`. */
export async function stopReplicas(replicas: readonly Replica[], ms = 10_000): Promise<void> {
  await Promise.all(
    replicas.map(async (r) => {
      if (r.child.exitCode !== null || r.child.signalCode !== null) return;
      r.send({ type: 'stop' });
      const timer = setTimeout(() => r.child.kill('SIGKILL'), ms);
      await r.exited;
      clearTimeout(timer);
    }),
  );
}

/** Poll `check` until it returns a value other than `undefined`, or fail after `ms` with `what`. */
export async function pollUntil<T>(what: string, ms: number, check: () => Promise<T | undefined>, everyMs = 50): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The same URL with extra `-c name=value` settings in its `options` (e.g. search_path). */
export function withPgOptions(url: string, settings: Record<string, string>): string {
  const u = new URL(url);
  const options = [u.searchParams.get('options') ?? '', ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)]
    .filter((s) => s !== '')
    .join(' ');
  u.searchParams.set('options', options);
  return u.toString();
}

// ───────────────────────────── the replica's side ─────────────────────────────

const ENTRY = fileURLToPath(import.meta.url);

const never = new Promise<never>(() => undefined);

async function replicaMain(options: ReplicaOptions): Promise<void> {
  const send = (m: ReplicaMessage) => process.send?.(m);
  const db = openDatabase(options.url);
  if (options.migrate) await migrateToLatest(db);
  const logger = createLogger({ level: 'warn' });
  const config = loadConfig({ text: DEMO_CONFIG_YAML, env: {} });

  let posts = 0;
  let inflight = 0;
  let frozen = false;
  let quietSent = false;
  const quiet = () => {
    if (frozen && inflight === 0 && !quietSent) {
      quietSent = true;
      send({ type: 'posts-quiet' });
    }
  };
  const adapter: ChatAdapter = {
    platform: 'console',
    async start() {},
    async stop() {},
    async post(place, card) {
      if (options.freezeAfterPosts !== undefined && posts >= options.freezeAfterPosts) {
        // Hung before the platform saw it: the row stays leased by us, undelivered, until we die.
        frozen = true;
        send({ type: 'frozen', what: 'post', outbox: card.title });
        quiet();
        return never;
      }
      posts++;
      inflight++;
      try {
        // "The platform received it": committed at once, before the dispatcher marks the row sent.
        await sql`insert into scale_deliveries (outbox, conversation, replica, at) values (${card.title}, ${place.channel}, ${options.name}, ${Date.now()})`.execute(
          db,
        );
      } finally {
        inflight--;
        quiet();
      }
      return { messageId: card.title, place };
    },
    async edit() {
      throw new Error('the scale replicas only post');
    },
    async openDirect(person) {
      return { platform: 'console', space: person.space, channel: `dm:${person.id}` };
    },
  };

  const desk = createDesk({
    db,
    config,
    clock: systemClock,
    logger,
    adapters: [adapter],
    dispatcher: { leaseMs: options.leaseMs, ...(options.batch ? { batch: options.batch } : {}) },
    scheduler: { leaseMs: options.leaseMs },
  });
  desk.scheduler.on(TIMER_KIND, async (work, timer) => {
    // In the transaction that deletes the timer: the fire row commits with the delete, or neither does.
    await sql`insert into scale_fires (subject, replica, at) values (${timer.subject}, ${options.name}, ${Date.now()})`.execute(work.db);
    if (options.freezeFires && frozen) {
      send({ type: 'frozen', what: 'fire', subject: timer.subject });
      await never;
    }
  });

  let cpuAtGo: NodeJS.CpuUsage | undefined;
  process.on('message', (m: { type: string }) => {
    if (m.type === 'go') {
      cpuAtGo = process.cpuUsage();
      void desk.start();
    }
    if (m.type === 'stop') {
      void (async () => {
        await desk.stop();
        await db.destroy();
        const cpu = process.cpuUsage(cpuAtGo);
        send({ type: 'stopped', cpuMs: cpuAtGo ? (cpu.user + cpu.system) / 1000 : 0 });
        process.disconnect?.();
      })();
    }
  });
  // The parent went away (a test that failed): do not linger.
  process.on('disconnect', () => setTimeout(() => process.exit(0), 5_000).unref());
  send({ type: 'ready' });
}

function isEntry(): boolean {
  const argv = process.argv[1];
  if (!argv) return false;
  try {
    return realpathSync(argv) === realpathSync(ENTRY);
  } catch {
    return false;
  }
}

const given = process.env.TIERDESK_REPLICA;
if (given && isEntry()) {
  replicaMain(JSON.parse(given) as ReplicaOptions).catch((err: unknown) => {
    process.stderr.write(`replica failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
