import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, LogLevel } from '@slack/bolt';
import SQLite from 'better-sqlite3';
import { startSlackSide } from './slack-side.js';

type Emit = (name: string, value: number, unit: string) => void;

const SECONDS = Number(process.env.BENCH_SLACK_SECONDS ?? 20); // the run at 1,000/s, as tierdesk's
const STEP_SECONDS = Number(process.env.BENCH_FLOOR_STEP_SECONDS ?? 5); // each step of the search
/** An offered rate is held when its ack p99 stays under this and every command is stored and acked. */
const HELD_P99_MS = 50;
const UP = [1500, 2000, 2500, 3000, 4000, 5000];
const DOWN = [750, 500, 250];

interface Step {
  rate: number;
  p50: number;
  p99: number;
  stored: number;
  failures: number;
  lagMaxMs: number;
}

/**
 * intake.slack_http.floor_*: what this machine allows a Slack app at all. A bare Bolt app (the same
 * HTTP receiver, signature check and Web API client as tierdesk's) that stores one SQLite row per
 * `/ticket` (WAL file, synchronous=NORMAL), acks with its number and posts one card, driven by the
 * same load generator and fake Slack as intake.slack_http (bench/slack-side.ts). It runs at
 * 1,000/s (floor_ack_p99_ms), then steps the offered rate up (or down) to the highest it holds:
 * floor_tickets_per_s, the sustained rate tierdesk's is compared with.
 */
export async function run(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-bench-floor-'));
  const slack = await startSlackSide();
  const floor = await startFloorApp(join(dir, 'floor.db'), slack.apiUrl);
  try {
    const step = async (rate: number, seconds: number): Promise<Step> => {
      floor.channel = `C0FLOOR${rate}`;
      const before = floor.stored();
      const { acks, failures, lagMaxMs } = await slack.load(floor.url, rate, seconds, `floor${rate}`);
      const stored = floor.stored() - before;
      await floor.settled();
      acks.sort((a, b) => a - b);
      const at = (q: number) => Math.round((acks[Math.floor(acks.length * q)] ?? Infinity) * 10) / 10;
      return { rate, p50: at(0.5), p99: at(0.99), stored, failures, lagMaxMs };
    };
    const held = (s: Step, seconds: number) => s.failures === 0 && s.p99 < HELD_P99_MS && s.stored === s.rate * seconds;
    const first = await step(1000, SECONDS);
    emit('intake.slack_http.floor_ack_p99_ms', first.p99, 'ms');
    emit('intake.slack_http.floor_ack_p50_ms', first.p50, 'ms');
    emit('intake.slack_http.floor_generator_lag_max_ms', Math.round(first.lagMaxMs), 'ms');
    let sustained = held(first, SECONDS) ? first.rate : 0;
    // Up from 1,000/s to the first rate it does not hold, or down to the first it does.
    const up = sustained > 0;
    for (const rate of up ? UP : DOWN) {
      const s = await step(rate, STEP_SECONDS);
      const ok = held(s, STEP_SECONDS);
      if (ok) sustained = rate;
      if (ok !== up) break;
    }
    emit('intake.slack_http.floor_tickets_per_s', sustained, 'tickets/s');
    emit('intake.slack_http.floor_post_failures', floor.postFailures(), 'count');
  } finally {
    slack.stop();
    await floor.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bare app: ack after the row is stored, then one chat.postMessage. */
async function startFloorApp(file: string, apiUrl: string) {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table tickets (number integer primary key, title text not null, requester text not null, created_at integer not null)');
  const insert = db.prepare('insert into tickets (title, requester, created_at) values (?, ?, ?)');
  const count = db.prepare('select count(*) from tickets').pluck();
  const app = new App({
    token: 'xoxb-bench',
    signingSecret: 'bench-secret',
    clientOptions: { slackApiUrl: apiUrl, retryConfig: { retries: 0 } },
    logLevel: LogLevel.ERROR,
    deferInitialization: true,
    convoStore: false, // as tierdesk's App: no per-request conversation lookup
  });
  await app.init();
  let posting = 0;
  let idle: (() => void) | undefined;
  const state = { channel: 'C0FLOOR', postFailures: 0 };
  app.command('/ticket', async ({ command, ack, client }) => {
    const number = Number(insert.run(command.text, command.user_id, Date.now()).lastInsertRowid);
    await ack({ response_type: 'ephemeral', text: `Ticket #${number} opened.` });
    posting++;
    try {
      await client.chat.postMessage({ channel: state.channel, text: `🎫 #${number} ${command.text}` });
    } catch {
      state.postFailures++; // counted, not logged: tierdesk's outbox would retry it
    } finally {
      if (--posting === 0) idle?.();
    }
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as unknown as Server;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    set channel(c: string) {
      state.channel = c;
    },
    stored: () => count.get() as number,
    postFailures: () => state.postFailures,
    /** Every card of the step posted (or failed): the next step starts from a quiet app. */
    settled: () => (posting === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = () => ((idle = undefined), resolve())))),
    async stop() {
      await app.stop();
      db.close();
    },
  };
}
