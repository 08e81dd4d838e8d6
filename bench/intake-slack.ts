import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSlackAdapter } from '../adapters/slack/slack-adapter.js';
import { createCatalogue } from '../src/capabilities/index.js';
import { createDesk } from '../src/core/desk.js';
import { loadConfig } from '../src/config/config.js';
import { createMemoryLogger } from '../src/logger.js';
import { systemClock } from '../src/ports.js';
import { openDatabase } from '../src/store/connect.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { countPending } from '../src/store/outbox.js';
import { startLoadProcess } from './load-process.js';

type Emit = (name: string, value: number, unit: string) => void;

const RATE = Number(process.env.BENCH_SLACK_RATE ?? 1000); // offered tickets per second
const SECONDS = Number(process.env.BENCH_SLACK_SECONDS ?? 20);
const YAML = `
people: { ann: { name: Ann, slack: U0ANN } }
tiers: [ { id: L1, name: Help desk, agents: [ann], channels: { slack: C0L1DESK } } ]
`;

/**
 * intake.slack_http.*: signed `/ticket new` slash commands over loopback HTTP to Bolt's real
 * receiver at a fixed offered rate (open loop), tickets persisted to a SQLite file, cards delivered
 * to the fake Web API. The fake Slack and the load generator run in a second process, as Slack is
 * another machine in real life; tierdesk is this process.
 */
export async function run(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-bench-slack-'));
  const { child, next } = startLoadProcess('./intake-slack-load.ts');
  const { apiUrl } = await next<{ apiUrl: string }>('ready');
  const db = openDatabase(join(dir, 'intake.db'));
  await migrateToLatest(db);
  const config = loadConfig({ text: YAML, env: {} });
  const logger = createMemoryLogger();
  const adapter = createSlackAdapter({
    botToken: 'xoxb-bench',
    signingSecret: 'bench-secret',
    apiUrl,
    port: 0,
    host: '127.0.0.1',
    reaction: 'ticket',
    surface: createCatalogue().surface('slack', config),
    defaults: { urgency: 'medium', impact: 'medium' },
    platformGroups: [],
    logger,
    now: () => Date.now(),
  });
  const desk = createDesk({ db, config, clock: systemClock, logger, adapters: [adapter] });
  try {
    await desk.start();
    const start = performance.now();
    child.send({ type: 'load', url: adapter.url, rate: RATE, seconds: SECONDS });
    const { acks, failures, sendSeconds } = await next<{ acks: number[]; failures: number; sendSeconds: number }>('done');
    const total = RATE * SECONDS;
    const acked = (performance.now() - start) / 1000;
    const stored = Number(
      (
        await db
          .selectFrom('tickets')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    // Then until every card is delivered (bounded: 10 minutes).
    for (let i = 0; i < 30_000; i++) {
      if ((await countPending(db)) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const elapsed = (performance.now() - start) / 1000;
    child.send({ type: 'cards', channel: 'C0L1DESK' });
    const { count } = await next<{ count: number }>('cards');
    acks.sort((a, b) => a - b);
    // Tickets stored and answered per second while the load ran; cards delivered per second overall.
    emit('intake.slack_http.tickets_per_s', Math.round(stored / acked), 'tickets/s');
    emit('intake.slack_http.cards_delivered_per_s', Math.round(count / elapsed), 'cards/s');
    emit('intake.slack_http.tickets_lost', total - failures - count, 'count');
    emit('intake.slack_http.ack_p99_ms', Math.round(acks[Math.floor(acks.length * 0.99)]! * 10) / 10, 'ms');
    emit('intake.slack_http.ack_p50_ms', Math.round(acks[Math.floor(acks.length * 0.5)]! * 10) / 10, 'ms');
    emit('intake.slack_http.offered_per_s', RATE, 'tickets/s');
    emit('intake.slack_http.send_seconds', Math.round(sendSeconds * 10) / 10, 's');
    emit('intake.slack_http.failed_requests', failures, 'count');
  } finally {
    child.send({ type: 'stop' });
    await desk.stop();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
