import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoadProcess } from './load-process.js';
import { percentile, startTierdesk } from './tierdesk-process.js';

type Emit = (name: string, value: number, unit: string) => void;
type Done = { acks: number[]; failures: number; sendSeconds: number };

const RATE = Number(process.env.BENCH_DISCORD_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_DISCORD_SECONDS ?? 10);
const OVERLOAD_SECONDS = Number(process.env.BENCH_DISCORD_OVERLOAD_SECONDS ?? 10);

/**
 * intake.discord.*: `/ticket new` interactions dispatched through the fake gateway at a fixed
 * offered rate to a running `tierdesk start` (gateway mode, admission control, the delivery worker),
 * timed from dispatch to the interaction's first callback (the answer, the deferral or "queued").
 * RATE for SECONDS, then twice RATE for OVERLOAD_SECONDS. Cards and private threads go out through
 * the outbox at the pace Discord's global rate limit allows; they trail, and are not waited for.
 * The fake Discord runs in a second process.
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
  const load = async (tag: string, rate: number, seconds: number) => {
    const start = Date.now();
    child.send({ type: 'load', rate, seconds, tag });
    const done = await next<Done>('done');
    await desk.until0('select count(*) as n from inbound_queue', 180_000);
    done.acks.sort((a, b) => a - b);
    return { ...done, seconds: (Date.now() - start) / 1000 };
  };
  try {
    const steady = await load('steady', RATE, SECONDS);
    const tickets = desk.count('select count(*) as n from tickets');
    emit('intake.discord.tickets_per_s', Math.round(tickets / steady.seconds), 'tickets/s');
    emit('intake.discord.ack_p99_ms', percentile(steady.acks, 0.99), 'ms');
    emit('intake.discord.ack_p50_ms', percentile(steady.acks, 0.5), 'ms');
    emit('intake.discord.offered_per_s', RATE, 'tickets/s');
    emit('intake.discord.unanswered', steady.failures, 'count');
    const over = await load('overload', 2 * RATE, OVERLOAD_SECONDS);
    emit('intake.discord.overload_offered_per_s', 2 * RATE, 'tickets/s');
    emit('intake.discord.overload_ack_max_ms', percentile(over.acks, 1), 'ms');
    emit('intake.discord.overload_unanswered', over.failures, 'count');
    emit('intake.discord.outbox_backlog_at_end', desk.count("select count(*) as n from outbox where status = 'pending'"), 'messages');
  } finally {
    child.send({ type: 'stop' });
    await desk.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
