import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSlackSide } from './slack-side.js';
import { percentile, startTierdesk } from './tierdesk-process.js';

type Emit = (name: string, value: number, unit: string) => void;

const RATE = Number(process.env.BENCH_SLACK_RATE ?? 1000); // offered tickets per second
const SECONDS = Number(process.env.BENCH_SLACK_SECONDS ?? 10);
const OVERLOAD_SECONDS = Number(process.env.BENCH_SLACK_OVERLOAD_SECONDS ?? 20);
/** The offered rates tried for the highest sustained one, each for STEP_SECONDS. */
const LADDER = [250, 500, 750, 1000, 1250, 1500, 2000];
const STEP_SECONDS = 3;
const YAML = `
people: { ann: { name: Ann, slack: U0ANN } }
tiers: [ { id: L1, name: Help desk, agents: [ann], channels: { slack: C0L1DESK } } ]
`;
const TICKETS = 'select count(*) as n from tickets';
const QUEUED = 'select count(*) as n from inbound_queue';
const UNSENT = "select count(*) as n from outbox where status = 'pending'";

/**
 * intake.slack_http.*: signed `/ticket new` slash commands over loopback HTTP (keep-alive) at a fixed
 * offered rate (open loop) to a running `tierdesk start` (HTTP mode: Bolt's receiver, admission
 * control, the delivery worker), tickets persisted to a SQLite file, cards delivered to the fake Web
 * API. The fake Slack and the load generator run in processes of their own (bench/slack-side.ts), as
 * Slack is another machine; the generator's own lag is emitted apart (generator_lag_max_ms).
 * Phases: RATE for SECONDS; a ladder of rates for the highest whose ack p99 stays under 50 ms; twice
 * that for OVERLOAD_SECONDS, after which every ticket acknowledged must be stored and its card posted.
 */
export async function run(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-bench-slack-'));
  const slack = await startSlackSide();
  const apiUrl = slack.apiUrl;
  const desk = await startTierdesk(dir, YAML, {
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: 'bench-secret',
    SLACK_API_URL: apiUrl,
    ...(process.env.TIERDESK_DELIVERY ? { TIERDESK_DELIVERY: process.env.TIERDESK_DELIVERY } : {}),
  });
  const load = async (tag: string, rate: number, seconds: number) => {
    const before = desk.count(TICKETS);
    const cpuBefore = desk.cpu();
    const start = performance.now();
    const done = await slack.load(desk.url!, rate, seconds, tag);
    // Queued requests count once they ran: the queue empties (bounded), then the tickets are counted.
    await desk.until0(QUEUED, 180_000);
    const seconds_ = (performance.now() - start) / 1000;
    done.acks.sort((a, b) => a - b);
    const cpuAfter = desk.cpu();
    const sent = rate * seconds;
    const cpu =
      cpuBefore && cpuAfter
        ? { intakeUs: ((cpuAfter.intakeMs - cpuBefore.intakeMs) * 1000) / sent, totalUs: ((cpuAfter.totalMs - cpuBefore.totalMs) * 1000) / sent }
        : undefined;
    return { ...done, stored: desk.count(TICKETS) - before, seconds: seconds_, cpu };
  };
  try {
    const steady = await load('steady', RATE, SECONDS);
    emit('intake.slack_http.tickets_per_s', Math.round(steady.stored / steady.seconds), 'tickets/s');
    emit('intake.slack_http.ack_p99_ms', percentile(steady.acks, 0.99), 'ms');
    emit('intake.slack_http.ack_p50_ms', percentile(steady.acks, 0.5), 'ms');
    emit('intake.slack_http.offered_per_s', RATE, 'tickets/s');
    emit('intake.slack_http.failed_requests', steady.failures, 'count');
    emit('intake.slack_http.queued_requests', steady.queued, 'count');
    emit('intake.slack_http.generator_lag_max_ms', Math.round(steady.lagMaxMs), 'ms');
    if (steady.cpu) {
      // CPU a request, its ticket included (read once the queue is empty: cards may trail a little).
      emit('intake.slack_http.intake_cpu_us', Math.round(steady.cpu.intakeUs), 'µs/ticket');
      emit('intake.slack_http.process_cpu_us', Math.round(steady.cpu.totalUs), 'µs/ticket');
    }
    if (process.env.BENCH_SLACK_STEADY_ONLY) return;

    let sustained = 0;
    for (const rate of LADDER) {
      const step = await load(`step${rate}`, rate, STEP_SECONDS);
      if (step.failures > 0 || step.refused > 0 || percentile(step.acks, 0.99) >= 50) break;
      sustained = rate;
    }
    emit('intake.slack_http.max_sustained_per_s', sustained, 'tickets/s');

    const overloadRate = 2 * Math.max(sustained, LADDER[0]!);
    const over = await load('overload', overloadRate, OVERLOAD_SECONDS);
    await desk.until0(UNSENT, 300_000);
    const cards = await slack.cards('C0L1DESK');
    const tickets = desk.count(TICKETS);
    emit('intake.slack_http.overload_offered_per_s', overloadRate, 'tickets/s');
    emit('intake.slack_http.overload_ack_max_ms', percentile(over.acks, 1), 'ms');
    emit('intake.slack_http.overload_ack_p99_ms', percentile(over.acks, 0.99), 'ms');
    emit('intake.slack_http.overload_over_3s', over.acks.filter((a) => a >= 3000).length + over.failures, 'count');
    emit('intake.slack_http.overload_queued', over.queued, 'count');
    emit('intake.slack_http.overload_refused', over.refused, 'count');
    // Acknowledged (not refused) but never stored: lost. Tickets without their card: undelivered.
    emit('intake.slack_http.tickets_lost', overloadRate * OVERLOAD_SECONDS - over.failures - over.refused - over.stored, 'count');
    emit('intake.slack_http.cards_undelivered', tickets - cards, 'count');
  } finally {
    slack.stop();
    await desk.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
