import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDatabase } from '../src/store/connect.js';
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
 */
export async function run(emit: Emit): Promise<void> {
  let duplicates = 0;
  for (const n of REPLICAS) {
    const where = await benchSchema(`scale_r${n}`);
    if (!where) return;
    const url = inSchema(where.url, where.schema);
    const db = openDatabase(url);
    let replicas: Replica[] = [];
    try {
      await migrateAmidOthers(db, where.schema);
      await createRecordTables(db);
      await addDueTimers(db, TIMERS, Date.now() - 1000);
      replicas = Array.from({ length: n }, (_, i) => startReplica({ url, name: `r${i + 1}`, leaseMs: 60_000 }));
      await Promise.all(replicas.map((r) => r.next(isType('ready'))));
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
      await stopReplicas(replicas);
      const { rows } = await sql<{
        fires: number;
        timers: number;
      }>`select count(*) as fires, count(distinct subject) as timers from scale_fires`.execute(db);
      const { fires, timers } = rows[0]!;
      if (Number(timers) !== TIMERS) throw new Error(`${TIMERS - Number(timers)} timers were deleted without a recorded fire`);
      duplicates += Number(fires) - Number(timers);
      emit(`scale.pg.timers_fired_per_s.r${n}`, Math.round(TIMERS / seconds), 'timers/s');
    } finally {
      await stopReplicas(replicas);
      await db.destroy();
      await where.drop();
    }
  }
  emit('scale.pg.duplicate_fires', duplicates, 'fires');
}
