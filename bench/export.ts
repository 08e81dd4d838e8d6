import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/store/connect.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type Emit = (name: string, value: number, unit: string) => void;

const TICKETS = Number(process.env.TIERDESK_BENCH_EXPORT_TICKETS ?? 100_000);
const BATCH = 500;
const EVENTS = ['opened', 'claimed', 'replied', 'requester_message', 'resolved', 'closed'];

/**
 * export.*: `tierdesk export` (JSON lines) of 100,000 closed tickets with six events each (about
 * 1 KB of conversation per ticket) from a SQLite file. The export runs in a process of its own
 * (bench/export-process.ts) so `peak_rss_mb` is the export's, which should not grow with the
 * number of tickets (TIERDESK_BENCH_EXPORT_TICKETS changes it: compare 10,000 with 100,000).
 */
export async function run(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-bench-export-'));
  const path = join(dir, 'bench.db');
  try {
    await seed(path);
    const child = fork(fileURLToPath(new URL('./export-process.ts', import.meta.url)), [path], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const done = await new Promise<{ tickets: number; seconds: number; peakRssMb: number }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { tickets: number; seconds: number; peakRssMb: number }));
      child.once('exit', (code) => reject(new Error(`the export process exited with ${code} before reporting`)));
    });
    child.kill();
    if (done.tickets !== TICKETS) throw new Error(`exported ${done.tickets} tickets, expected ${TICKETS}`);
    emit('export.tickets_per_s', Math.round(done.tickets / done.seconds), 'tickets/s');
    emit('export.peak_rss_mb', Math.round(done.peakRssMb), 'MB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function seed(path: string): Promise<void> {
  const db = openDatabase(path);
  await migrateToLatest(db);
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  const words = 'the printer on the third floor jams when printing double sided pages from the finance share again '.repeat(2);
  for (let start = 1; start <= TICKETS; start += BATCH) {
    await db.transaction().execute(async (trx) => {
      const numbers = Array.from({ length: Math.min(BATCH, TICKETS - start + 1) }, (_, i) => start + i);
      await trx
        .insertInto('tickets')
        .values(numbers.map((n) => ticketRow(n, t0 + n * 60_000, words)))
        .execute();
      const events = numbers.flatMap((n) =>
        EVENTS.map((kind, i) => ({
          id: `${n.toString(36).padStart(6, '0')}${i}`,
          ticket: n,
          at: t0 + n * 60_000 + i * 1000,
          actor: JSON.stringify({ kind: 'person', platform: 'slack', space: 'T1', id: `U${n % 500}`, name: `Person ${n % 500}` }),
          kind,
          data: JSON.stringify({ text: words }),
        })),
      );
      await trx.insertInto('ticket_events').values(events).execute();
    });
  }
  await db.destroy();
}

function ticketRow(n: number, at: number, words: string) {
  return {
    number: n,
    title: `Printer ${n} jams`,
    description: words,
    category: null,
    product: null,
    product_version: null,
    impact: 'medium',
    urgency: 'medium',
    priority: 'P3',
    tier: 'L1',
    status: 'closed',
    requester_platform: 'slack',
    requester_space: 'T1',
    requester_id: `U${n % 500}`,
    requester_name: `Person ${n % 500}`,
    origin: null,
    assignee: 'agent1',
    assignee_name: 'Agent One',
    created_at: at,
    updated_at: at + 5000,
    first_response_at: at + 2000,
    resolved_at: at + 4000,
    closed_at: at + 5000,
    resolution: 'replaced the fuser',
    revision: 3,
    sla_policy: null,
    sla_group: null,
    sla_marks: null,
  };
}
