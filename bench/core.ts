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

type Emit = (name: string, value: number, unit: string) => void;

const TICKETS = 20_000;

/**
 * core.open_ticket_*: open 20,000 tickets through the use case (validation, priority, number,
 * ticket row, event, two outbox rows, idempotency key: one transaction each) on a SQLite file in
 * WAL mode, one after another as a single process serves them.
 */
export async function run(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-bench-'));
  const db = openDatabase(join(dir, 'bench.db'));
  try {
    await migrateToLatest(db);
    const config = loadConfig({ text: DEMO_CONFIG_YAML, env: {} });
    const desk = createDesk({ db, config, clock: systemClock, logger: createMemoryLogger(), adapters: [] });
    const actor = desk.core.directory.actor({ platform: 'console', space: 'local', id: 'requester', name: 'requester' });
    const place = { platform: 'console' as const, space: 'local', channel: 'console' };
    const urgencies = ['high', 'medium', 'low'];
    const latencies = new Float64Array(TICKETS);
    // Warm up the JIT and SQLite's caches on a few tickets that are not measured.
    for (let i = 0; i < 200; i++) await openTicket(desk.core, { actor, place, key: `warm-${i}` }, { title: `Warm-up ${i}` });
    const start = performance.now();
    for (let i = 0; i < TICKETS; i++) {
      const t0 = performance.now();
      await openTicket(
        desk.core,
        { actor, place, key: `bench-${i}` },
        {
          title: `Printer ${i} on fire`,
          description: 'Smoke is coming out of the paper tray.',
          urgency: urgencies[i % 3]!,
          impact: urgencies[(i >> 1) % 3]!,
        },
      );
      latencies[i] = performance.now() - t0;
    }
    const seconds = (performance.now() - start) / 1000;
    latencies.sort();
    emit('core.open_ticket_per_s', Math.round(TICKETS / seconds), 'tickets/s');
    emit('core.open_ticket_p99_ms', round(latencies[Math.floor(TICKETS * 0.99)]!, 3), 'ms');
    emit('core.open_ticket_p50_ms', round(latencies[Math.floor(TICKETS * 0.5)]!, 3), 'ms');
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
