import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PhaseDone } from './intake-discord-load.js';
import { startLoadProcess } from './load-process.js';
import { percentile, startTierdesk, type TierdeskProcess } from './tierdesk-process.js';

type Emit = (name: string, value: number, unit: string) => void;

const RATE = Number(process.env.BENCH_DISCORD_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_DISCORD_SECONDS ?? 10);
const OVERLOAD_SECONDS = Number(process.env.BENCH_DISCORD_OVERLOAD_SECONDS ?? 10);
/** Interactions sent at 100/s before the measured phases, not reported: code paths compiled, connections open. */
const WARMUP = Number(process.env.BENCH_DISCORD_WARMUP ?? 300);
const QUEUED = 'select count(*) as n from inbound_queue';

/**
 * intake.discord.*: `/ticket new` interactions dispatched through the fake gateway at a fixed
 * offered rate to a running `tierdesk start` (gateway mode, admission control, the delivery worker),
 * timed from dispatch to the interaction's first callback (the answer, the deferral or "queued").
 * RATE for SECONDS, then twice RATE for OVERLOAD_SECONDS. Every interaction is accounted for (answered
 * within 3 s, late, failed, unanswered); each one acknowledged must have made exactly one ticket once
 * the queue has drained, and each deferred or queued one must have had its answer. Cards and private
 * threads go out through the outbox at the pace Discord's global rate limit allows; they trail, and
 * are not waited for. The fake Discord runs in a second process (bench/intake-discord-load.ts), whose
 * own lag is reported. CPU per interaction is read from /proc: the intake thread's, and the process's.
 * WARMUP interactions at 100/s go first, unreported, so that start-up (compiling, connecting) is not
 * counted in the steady phase.
 */
export async function run(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-bench-discord-'));
  const { child, next } = startLoadProcess('./intake-discord-load.ts');
  const ready = await next<{ apiUrl: string; guild: string; desk: string; support: string; app: string }>('ready');
  const yaml = `tiers: [ { id: L1, name: Help desk, channels: { discord: "${ready.desk}" } } ]\ndiscord: { guilds: ["${ready.guild}"], tickets_channel: "${ready.support}" }\n`;
  const desk = await startTierdesk(dir, yaml, {
    DISCORD_TOKEN: 'bench-token',
    DISCORD_APPLICATION_ID: ready.app,
    DISCORD_API_URL: ready.apiUrl,
    ...(process.env.TIERDESK_DELIVERY ? { TIERDESK_DELIVERY: process.env.TIERDESK_DELIVERY } : {}),
  });
  const followups = async (tag: string) => {
    child.send({ type: 'followups', tag });
    return (await next<{ count: number }>('followups')).count;
  };
  const load = async (tag: string, rate: number, seconds: number, prefix: string) => {
    const start = Date.now();
    const cpu = desk.cpu();
    child.send({ type: 'load', rate, seconds, tag });
    const done = await next<PhaseDone>('done');
    // Queued requests count once they ran: the queue empties (bounded), then the tickets are counted.
    await desk.until0(QUEUED, 180_000);
    const used = desk.cpu();
    done.acks.sort((a, b) => a - b);
    const phase = { ...done, seconds: (Date.now() - start) / 1000 };
    report(emit, prefix, phase, stored(desk, tag), await settled(phase.deferred + phase.queued, () => followups(tag)));
    if (cpu && used) {
      emit(`${prefix}intake_cpu_us_per_interaction`, Math.round(((used.intakeMs - cpu.intakeMs) * 1000) / done.offered), 'µs');
      emit(`${prefix}process_cpu_us_per_interaction`, Math.round(((used.totalMs - cpu.totalMs) * 1000) / done.offered), 'µs');
    }
    return phase;
  };
  try {
    if (WARMUP > 0) {
      child.send({ type: 'load', rate: 100, seconds: WARMUP / 100, tag: 'warmup' });
      await next<PhaseDone>('done');
      await desk.until0(QUEUED, 180_000);
    }
    await load('steady', RATE, SECONDS, 'intake.discord.');
    emit('intake.discord.offered_per_s', RATE, 'tickets/s');
    await load('overload', 2 * RATE, OVERLOAD_SECONDS, 'intake.discord.overload_');
    emit('intake.discord.overload_offered_per_s', 2 * RATE, 'tickets/s');
    emit('intake.discord.outbox_backlog_at_end', desk.count("select count(*) as n from outbox where status = 'pending'"), 'messages');
  } finally {
    child.send({ type: 'stop' });
    await desk.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The tickets a phase stored, by the index in their title ("Printer steady 12 on fire"). */
function stored(desk: TierdeskProcess, tag: string): number[] {
  const rows = desk.rows<{ title: string }>('select title from tickets where title like ?', `Printer ${tag} % on fire`);
  return rows.map((r) => Number(r.title.split(' ')[2]));
}

/** Polls `count` until it reaches `expected` (answers to deferred and queued requests trail the queue), 10 s at most. */
async function settled(expected: number, count: () => Promise<number>): Promise<number> {
  let n = await count();
  for (let i = 0; i < 100 && n < expected; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    n = await count();
  }
  return n;
}

function report(emit: Emit, prefix: string, phase: PhaseDone & { seconds: number }, tickets: number[], answeredLater: number): void {
  const made = new Set(tickets);
  emit(`${prefix}tickets_per_s`, Math.round(made.size / phase.seconds), 'tickets/s');
  emit(`${prefix}ack_p50_ms`, percentile(phase.acks, 0.5), 'ms');
  emit(`${prefix}ack_p99_ms`, percentile(phase.acks, 0.99), 'ms');
  emit(`${prefix}ack_max_ms`, percentile(phase.acks, 1), 'ms');
  emit(`${prefix}answered`, phase.answered, 'count');
  emit(`${prefix}late`, phase.late, 'count');
  emit(`${prefix}failed`, phase.failed, 'count');
  emit(`${prefix}unanswered`, phase.unanswered, 'count');
  emit(`${prefix}deferred`, phase.deferred, 'count');
  emit(`${prefix}queued`, phase.queued, 'count');
  emit(`${prefix}refused`, phase.refused, 'count');
  // Acknowledged (a result, a deferral or "queued") but never stored: lost. Stored twice: done twice.
  emit(`${prefix}tickets_lost`, phase.acknowledged.filter((i) => !made.has(i)).length, 'count');
  emit(`${prefix}tickets_doubled`, tickets.length - made.size, 'count');
  // Deferred or queued, and never given its answer (the deferred reply or "queued" line not replaced).
  emit(`${prefix}answers_missing`, phase.deferred + phase.queued - answeredLater, 'count');
  emit(`${prefix}generator_lag_max_ms`, phase.lagMaxMs, 'ms');
  emit(`${prefix}fake_loop_delay_p99_ms`, phase.fakeLoopDelayP99Ms, 'ms');
  emit(`${prefix}fake_loop_delay_max_ms`, phase.fakeLoopDelayMaxMs, 'ms');
  emit(`${prefix}fake_cpu_us_per_interaction`, Math.round((phase.fakeCpuMs * 1000) / phase.offered), 'µs');
}
