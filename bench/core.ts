import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDesk } from '../src/core/desk.js';
import { openTicket } from '../src/capabilities/tickets/open-ticket.js';
import { DEMO_CONFIG_YAML, loadConfig } from '../src/config/config.js';
import { createMemoryLogger } from '../src/logger.js';
import { systemClock } from '../src/ports.js';
import { openDatabase } from '../src/store/connect.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { openTicketFloor } from './core-floor.js';

type Emit = (name: string, value: number, unit: string) => void;

const TICKETS = 20_000;

/**
 * core.open_ticket_*: open 20,000 tickets through the use case (validation, priority, number,
 * ticket row, event, two outbox rows, idempotency key: one transaction each) on a SQLite file in
 * WAL mode, one after another as a single process serves them. Beside it, core.open_ticket_floor_per_s:
 * raw better-sqlite3 writing the same rows into a fresh file of the same schema (bench/core-floor.ts).
 */
export async function run(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-bench-'));
  try {
    await useCase(join(dir, 'bench.db'), emit);
    const floorFile = join(dir, 'floor.db');
    await openTickets(floorFile, 1); // the floor copies the rows the use case wrote for this one
    const floor = openTicketFloor(floorFile, TICKETS);
    emit('core.open_ticket_floor_per_s', floor.perSecond, 'tickets/s');
    emit('core.open_ticket_floor_cpu_us', floor.cpuMicros, 'µs/ticket');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A migrated desk on `file`, and `count` tickets opened in it through the use case. */
async function openTickets(file: string, count: number): Promise<void> {
  const { db, open } = await deskOn(file);
  try {
    for (let i = 0; i < count; i++) await open(i, `seed-${i}`);
  } finally {
    await db.destroy();
  }
}

async function deskOn(file: string) {
  const db = openDatabase(file);
  await migrateToLatest(db);
  const config = loadConfig({ text: DEMO_CONFIG_YAML, env: {} });
  const desk = createDesk({ db, config, clock: systemClock, logger: createMemoryLogger(), adapters: [] });
  const actor = desk.core.directory.actor({ platform: 'console', space: 'local', id: 'requester', name: 'requester' });
  const place = { platform: 'console' as const, space: 'local', channel: 'console' };
  const urgencies = ['high', 'medium', 'low'];
  const open = (i: number, key: string) =>
    openTicket(
      desk.core,
      { actor, place, key },
      {
        title: `Printer ${i} on fire`,
        description: 'Smoke is coming out of the paper tray.',
        urgency: urgencies[i % 3]!,
        impact: urgencies[(i >> 1) % 3]!,
      },
    );
  return { db, open };
}

async function useCase(file: string, emit: Emit): Promise<void> {
  const { db, open } = await deskOn(file);
  try {
    const latencies = new Float64Array(TICKETS);
    // Warm up the JIT and SQLite's caches on a few tickets that are not measured.
    for (let i = 0; i < 200; i++) await open(TICKETS + i, `warm-${i}`);
    const start = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < TICKETS; i++) {
      const t0 = performance.now();
      await open(i, `bench-${i}`);
      latencies[i] = performance.now() - t0;
    }
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    latencies.sort();
    emit('core.open_ticket_per_s', Math.round(TICKETS / seconds), 'tickets/s');
    // CPU time per ticket moves less than the rate when the machine is shared (a busy neighbour delays us, it does not add to ours).
    emit('core.open_ticket_cpu_us', Math.round((used.user + used.system) / TICKETS), 'µs/ticket');
    emit('core.open_ticket_p99_ms', round(latencies[Math.floor(TICKETS * 0.99)]!, 3), 'ms');
    emit('core.open_ticket_p50_ms', round(latencies[Math.floor(TICKETS * 0.5)]!, 3), 'ms');
  } finally {
    await db.destroy();
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
