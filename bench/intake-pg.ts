import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createDesk } from '../src/core/desk.js';
import { openTicket } from '../src/capabilities/tickets/open-ticket.js';
import { DEMO_CONFIG_YAML, loadConfig } from '../src/config/config.js';
import { createMemoryLogger } from '../src/logger.js';
import { systemClock } from '../src/ports.js';
import { openDatabase, type Db } from '../src/store/connect.js';
import { migrateAmidOthers } from '../test/support/replica-process.js';

type Emit = (name: string, value: number, unit: string) => void;

const TICKETS = 3_000;
const CONCURRENT = 8;

/**
 * intake.pg.tickets_per_s: tickets opened through the openTicket use case (validation, priority,
 * number, ticket row, event, two outbox rows, SLA timers, idempotency key: one transaction each) on
 * PostgreSQL, in a fresh schema, with the server's own durability settings (synchronous_commit as
 * configured). One at a time as a single request loop would (like core.open_ticket_per_s on SQLite),
 * and `_c8`: eight requests in flight at once, as a replica serving several requests does (ticket
 * numbers come from a sequence, so they do not queue on a counter row until each commit: 614 → 1,410
 * tickets/s when that changed). Skipped without a PostgreSQL.
 */
export async function run(emit: Emit): Promise<void> {
  const where = await benchSchema('intake_pg');
  if (!where) return;
  const db = openDatabase(inSchema(where.url, where.schema));
  try {
    await migrateAmidOthers(db, where.schema);
    const config = loadConfig({ text: DEMO_CONFIG_YAML, env: {} });
    const desk = createDesk({ db, config, clock: systemClock, logger: createMemoryLogger(), adapters: [] });
    // One requester per lane: one person's opens take turns (the same-ticket check locks the requester),
    // so eight in flight from one person would measure that queue, not the database.
    const actors = Array.from({ length: CONCURRENT }, (_, n) =>
      desk.core.directory.actor({ platform: 'console', space: 'local', id: `requester-${n}`, name: `requester ${n}` }),
    );
    const place = { platform: 'console' as const, space: 'local', channel: 'console' };
    const urgencies = ['high', 'medium', 'low'];
    // Each ticket's title is its own (key included): the same title again within minutes is the same ticket given back.
    const open = (key: string, i: number, lane = 0) =>
      openTicket(
        desk.core,
        { actor: actors[lane]!, place, key },
        {
          title: `Printer ${key} on fire`,
          description: 'Smoke is coming out of the paper tray.',
          urgency: urgencies[i % 3]!,
          impact: urgencies[(i >> 1) % 3]!,
        },
      );
    for (let i = 0; i < 200; i++) await open(`warm-${i}`, i); // JIT, pool connections, plans

    const latencies = new Float64Array(TICKETS);
    let start = performance.now();
    for (let i = 0; i < TICKETS; i++) {
      const t0 = performance.now();
      await open(`seq-${i}`, i);
      latencies[i] = performance.now() - t0;
    }
    let seconds = (performance.now() - start) / 1000;
    latencies.sort();
    emit('intake.pg.tickets_per_s', Math.round(TICKETS / seconds), 'tickets/s');
    emit('intake.pg.open_ticket_p50_ms', round(latencies[Math.floor(TICKETS * 0.5)]!), 'ms');
    emit('intake.pg.open_ticket_p99_ms', round(latencies[Math.floor(TICKETS * 0.99)]!), 'ms');

    let next = 0;
    start = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENT }, async () => {
        const lane = next;
        for (let i = next++; i < TICKETS; i = next++) await open(`c8-${i}`, i, lane);
      }),
    );
    seconds = (performance.now() - start) / 1000;
    emit('intake.pg.tickets_per_s_c8', Math.round(TICKETS / seconds), 'tickets/s');
  } finally {
    await db.destroy();
    await where.drop();
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** The PostgreSQL the PostgreSQL benches use: TIERDESK_BENCH_PG_URL, else TIERDESK_TEST_PG_URL, else the local default. */
export function benchPgUrl(): string {
  return process.env.TIERDESK_BENCH_PG_URL || process.env.TIERDESK_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
}

/** The same URL working in `schema` (and any other `-c` settings). */
export function inSchema(url: string, schema: string, settings: Record<string, string> = {}): string {
  const u = new URL(url);
  const options = [u.searchParams.get('options') ?? '', `-c search_path=${schema}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)]
    .filter((s) => s !== '')
    .join(' ');
  u.searchParams.set('options', options);
  return u.toString();
}

/**
 * A fresh schema of its own on the bench PostgreSQL, or undefined (and a line on stderr saying why
 * the suite is skipped) when nothing answers there.
 */
export async function benchSchema(suite: string): Promise<{ url: string; schema: string; drop: () => Promise<void> } | undefined> {
  const url = benchPgUrl();
  const admin: Db = openDatabase(url);
  try {
    await sql`select 1`.execute(admin);
  } catch (err) {
    await admin.destroy();
    process.stderr.write(
      `bench suite ${suite} skipped: no PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//…@')} (${err instanceof Error ? err.message : String(err)}); set TIERDESK_BENCH_PG_URL\n`,
    );
    return undefined;
  }
  const schema = `tierdesk_bench_${suite.replace(/\W/g, '_')}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  await sql`create schema ${sql.id(schema)}`.execute(admin);
  return {
    url,
    schema,
    drop: async () => {
      try {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin);
      } finally {
        await admin.destroy();
      }
    },
  };
}
