import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createDesk } from '../src/core/desk.js';
import { DEMO_CONFIG_YAML, loadConfig } from '../src/config/config.js';
import { createMemoryLogger } from '../src/logger.js';
import { FakeClock, systemClock } from '../src/ports.js';
import { openDatabase, type Db } from '../src/store/connect.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { leaseDueTimers } from '../src/store/timers.js';

type Emit = (name: string, value: number, unit: string) => void;

const PENDING = 1_000_000;
const DAY = 86_400_000;

/** Fill the timers table with `count` rows due over the next 30 days (setup, not measured). */
async function fill(db: Db, count: number, from: number): Promise<void> {
  for (let i = 0; i < count; i += 10_000) {
    await db.transaction().execute(async (trx) => {
      const rows = Array.from({ length: Math.min(10_000, count - i) }, (_, j) => {
        const n = i + j;
        const due = from + 60_000 + Math.floor((((n * 7919) % count) / count) * 30 * DAY);
        return {
          id: `bench:${n}`,
          kind: 'bench',
          subject: String(n),
          due_at: due,
          next_at: due,
          data: null,
          attempts: 0,
          lease_until: null,
          created_at: from,
        };
      });
      for (let k = 0; k < rows.length; k += 500)
        await trx
          .insertInto('timers')
          .values(rows.slice(k, k + 500))
          .execute();
    });
  }
}

/**
 * scheduler.tick_ms_1m: with 1,000,000 pending timers in a SQLite file, how long one tick takes to
 * find and claim the due ones (100 due at a time). scheduler.fire_lag_p99_ms: how late timers fire
 * when the real scheduler loop runs against that table.
 */
export async function run(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-bench-sched-'));
  const db = openDatabase(join(dir, 'timers.db'));
  try {
    await migrateToLatest(db);
    const start = Date.now();
    await fill(db, PENDING, start);
    await sql`analyze`.execute(db);

    // Find-and-claim: move a fake clock so ~100 timers are due each time, lease them, measure.
    const clock = new FakeClock(start);
    const times: number[] = [];
    const perTick = 100;
    const step = Math.ceil((30 * DAY * perTick) / PENDING);
    for (let i = 0; i < 60; i++) {
      clock.set(start + 60_000 + (i + 1) * step);
      const t0 = performance.now();
      const claimed = await leaseDueTimers(db, clock.now(), clock.now() + 60_000, 1000);
      times.push(performance.now() - t0);
      if (claimed.length === 0) throw new Error('bench setup: nothing was due');
      await db
        .deleteFrom('timers')
        .where(
          'id',
          'in',
          claimed.map((c) => c.id),
        )
        .execute();
    }
    times.sort((a, b) => a - b);
    emit('scheduler.tick_ms_1m', round(times[Math.floor(times.length / 2)]!), 'ms');
    emit('scheduler.tick_ms_1m_p99', round(times[Math.floor(times.length * 0.99)]!), 'ms');

    // Fire lag: 2,000 timers due over the next 4 s among the million, the real loop on the real clock.
    const config = loadConfig({ text: DEMO_CONFIG_YAML, env: {} });
    const desk = createDesk({ db, config, clock: systemClock, logger: createMemoryLogger(), adapters: [] });
    const lags: number[] = [];
    const due = 2000;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    desk.scheduler.on('lag', async (_work, timer) => {
      lags.push(Date.now() - timer.dueAt);
      if (lags.length === due) done();
    });
    const t0 = Date.now() + 500;
    await db.transaction().execute(async (trx) => {
      for (let k = 0; k < due; k += 500) {
        await trx
          .insertInto('timers')
          .values(
            Array.from({ length: 500 }, (_, j) => ({
              id: `lag:${k + j}`,
              kind: 'lag',
              subject: String(k + j),
              due_at: t0 + Math.floor(((k + j) * 4000) / due),
              next_at: t0 + Math.floor(((k + j) * 4000) / due),
              data: null,
              attempts: 0,
              lease_until: null,
              created_at: start,
            })),
          )
          .execute();
      }
    });
    desk.scheduler.start();
    await finished;
    await desk.scheduler.stop();
    lags.sort((a, b) => a - b);
    emit('scheduler.fire_lag_p99_ms', lags[Math.floor(lags.length * 0.99)]!, 'ms');
    emit('scheduler.fire_lag_p50_ms', lags[Math.floor(lags.length / 2)]!, 'ms');
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
