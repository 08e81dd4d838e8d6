import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDiscordAdapter } from '../adapters/discord/discord-adapter.js';
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

const RATE = Number(process.env.BENCH_DISCORD_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_DISCORD_SECONDS ?? 20);

/**
 * intake.discord.*: `/ticket new` interactions dispatched through the fake gateway at a fixed
 * offered rate, timed from dispatch to the interaction callback (the deferral that answers Discord);
 * tickets per second counts tickets stored (each also answered) over the run. Cards and private
 * threads go out through the outbox at the pace Discord's global rate limit allows.
 * The fake Discord runs in a second process; tierdesk is this one.
 */
export async function run(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-bench-discord-'));
  const { child, next } = startLoadProcess('./intake-discord-load.ts');
  const ready = await next<{ apiUrl: string; guild: string; desk: string; support: string; app: string }>('ready');
  const db = openDatabase(join(dir, 'intake.db'));
  await migrateToLatest(db);
  const config = loadConfig({
    text: `tiers: [ { id: L1, name: Help desk, channels: { discord: "${ready.desk}" } } ]\ndiscord: { guilds: ["${ready.guild}"], tickets_channel: "${ready.support}" }\n`,
    env: {},
  });
  const logger = createMemoryLogger();
  const adapter = createDiscordAdapter({
    token: 'bench-token',
    applicationId: ready.app,
    apiUrl: ready.apiUrl,
    guilds: [ready.guild],
    ticketsChannel: ready.support,
    surface: createCatalogue().surface('discord', config),
    platformGroups: [],
    logger,
    now: () => Date.now(),
  });
  const desk = createDesk({ db, config, clock: systemClock, logger, adapters: [adapter] });
  try {
    await desk.start();
    const start = Date.now();
    child.send({ type: 'load', rate: RATE, seconds: SECONDS });
    const { acks, failures, sendSeconds } = await next<{ acks: number[]; failures: number; sendSeconds: number }>('done');
    const elapsed = (Date.now() - start) / 1000;
    const tickets = Number(
      (
        await db
          .selectFrom('tickets')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    // Cards and threads trail behind: discord.js keeps to Discord's global 50 requests/s per bot, and
    // each ticket needs four (thread, member, anchor, card). The outbox holds them; they are not lost.
    const backlog = await countPending(db);
    acks.sort((a, b) => a - b);
    emit('intake.discord.tickets_per_s', Math.round(tickets / elapsed), 'tickets/s');
    emit('intake.discord.ack_p99_ms', acks.length > 0 ? acks[Math.floor(acks.length * 0.99)]! : -1, 'ms');
    emit('intake.discord.ack_p50_ms', acks.length > 0 ? acks[Math.floor(acks.length * 0.5)]! : -1, 'ms');
    emit('intake.discord.offered_per_s', RATE, 'tickets/s');
    emit('intake.discord.send_seconds', Math.round(sendSeconds * 10) / 10, 's');
    emit('intake.discord.unanswered', failures, 'count');
    emit('intake.discord.outbox_backlog_at_end', backlog, 'messages');
  } finally {
    child.send({ type: 'stop' });
    await desk.stop();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
