import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../src/store/connect.js';
import {
  addDueTimers,
  createRecordTables,
  isType,
  migrateAmidOthers,
  startReplica,
  stopReplicas,
  TIMER_KIND,
  type Replica,
} from '../test/support/replica-process.js';
import { benchSchema, inSchema } from './intake-pg.js';

type Emit = (name: string, value: number, unit: string) => void;

const TIMERS = 10_000;
const REPLICAS = [1, 2, 3];

/**
 * scale.pg.timers_fired_per_s.rN: 10,000 timers due at once on PostgreSQL, fired by N tierdesk
 * replicas, each a process of its own (test/support/replica-process.ts: the real desk and scheduler;
 * each fire writes a row in the transaction that deletes its timer), from the moment they are told to
 * start until no timer is left. The server's own durability settings. scale.pg.duplicate_fires: fires
 * beyond one per timer over all runs (must be 0); a timer that never fired fails the suite.
 * Every replica and PostgreSQL share this machine's cores, so more replicas only help as far as there
 * are cores to spare (and the database, not the replicas, is what one tick mostly waits on).
 * Since the rate on a shared machine says more about the neighbours than about us, the CPU each timer
 * cost is given too: scale.pg.replica_cpu_us_per_timer.rN (all replicas, from `go` to stop, their
 * start included) and scale.pg.server_cpu_us_per_timer.rN (their PostgreSQL backends, read from
 * /proc, so only for a server on this machine). BENCH_CPU_PROF=dir profiles each replica.
 */
export async function run(emit: Emit): Promise<void> {
  let duplicates = 0;
  for (const n of REPLICAS) {
    const where = await benchSchema(`scale_r${n}`);
    if (!where) return;
    const app = `${where.schema}_replica`.slice(0, 63);
    const url = inSchema(where.url, where.schema, { application_name: app });
    const db = openDatabase(url);
    let replicas: Replica[] = [];
    try {
      await migrateAmidOthers(db, where.schema);
      await createRecordTables(db);
      await addDueTimers(db, TIMERS, Date.now() - 1000);
      replicas = Array.from({ length: n }, (_, i) => startReplica({ url, name: `r${i + 1}`, leaseMs: 60_000 }));
      await Promise.all(replicas.map((r) => r.next(isType('ready'))));
      const serverAtGo = await backendCpuMs(db, app);
      const start = performance.now();
      for (const r of replicas) r.send({ type: 'go' });
      for (;;) {
        const left = await db
          .selectFrom('timers')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('kind', '=', TIMER_KIND)
          .executeTakeFirstOrThrow();
        if (Number(left.n) === 0) break;
        if (performance.now() - start > 300_000) throw new Error(`${left.n} timers still not fired after 5 minutes`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const seconds = (performance.now() - start) / 1000;
      const serverAtEnd = await backendCpuMs(db, app);
      await stopReplicas(replicas);
      const replicaMs = replicas.reduce((sum, r) => sum + (r.seen.find(isType('stopped'))?.cpuMs ?? NaN), 0);
      const { rows } = await sql<{
        fires: number;
        timers: number;
      }>`select count(*) as fires, count(distinct subject) as timers from scale_fires`.execute(db);
      const { fires, timers } = rows[0]!;
      if (Number(timers) !== TIMERS) throw new Error(`${TIMERS - Number(timers)} timers were deleted without a recorded fire`);
      duplicates += Number(fires) - Number(timers);
      emit(`scale.pg.timers_fired_per_s.r${n}`, Math.round(TIMERS / seconds), 'timers/s');
      emit(`scale.pg.replica_cpu_us_per_timer.r${n}`, Math.round((replicaMs * 1000) / TIMERS), 'µs');
      if (serverAtEnd.size > 0) emit(`scale.pg.server_cpu_us_per_timer.r${n}`, Math.round((cpuSpent(serverAtGo, serverAtEnd) * 1000) / TIMERS), 'µs');
    } finally {
      await stopReplicas(replicas);
      await db.destroy();
      await where.drop();
    }
  }
  emit('scale.pg.duplicate_fires', duplicates, 'fires');
}

/**
 * CPU time (user + system, ms) of each PostgreSQL backend serving the replicas (by their
 * application_name), read from /proc: the server's share of the work, which only a server on this
 * machine shows (none elsewhere: an empty map, and the figure is left out).
 */
async function backendCpuMs(db: Db, app: string): Promise<Map<number, number>> {
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where application_name = ${app}`.execute(db);
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      // Fields 14 and 15 (utime, stime, in clock ticks of 10 ms) follow the parenthesised name.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // not on this machine, or gone
    }
  }
  return cpu;
}

/** CPU spent between two readings: a backend that started in between counts whole. */
function cpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, end] of after) ms += end - (before.get(pid) ?? 0);
  return ms;
}
