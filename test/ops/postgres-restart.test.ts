import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../src/core/desk.js';
import { DEMO_CONFIG_YAML, loadConfig } from '../../src/config/config.js';
import { createMemoryLogger } from '../../src/logger.js';
import type { Clock, Inbound } from '../../src/ports.js';
import { DATABASE_UNAVAILABLE_REPLY, isDatabaseUnavailable, openDatabase, type Db } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { setTimers } from '../../src/store/timers.js';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { RecordingAdapter } from '../support/recording-adapter.js';

// A real PostgreSQL restarted under a running tierdesk, while requests keep coming in. The server is a
// private cluster of this test's own (test/support/private-postgres.ts): the shared one on 5432 is
// never stopped. Runs with the PostgreSQL tests (TIERDESK_TEST_PG_URL set), in the `sqlite` vitest
// project only (test/ops is not in the `postgres` one), so once per run.
// What test/ops/postgres-outage.test.ts simulates (a TCP proxy, pg_terminate_backend), done for real:
// `pg_ctl restart -m fast`, then `pg_ctl stop -m fast` … `pg_ctl start`.
const PG = process.env.TIERDESK_TEST_PG_URL;

/** Poll `check` until it holds, failing after `ms` (no fixed sleeps: it returns as soon as it holds). */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One inbound request of the load and what it was answered. */
interface Attempt {
  key: string;
  title: string;
  sent: number;
  answered: number;
  reply: string | undefined;
}

/** When the server was (being) taken down and when it accepted connections again. */
interface Outage {
  how: string;
  from: number;
  to: number;
}

const OPENED = /^Ticket #(\d+) opened\b/;
const PROBE = 'restart-probe';

describe.skipIf(!PG)('PostgreSQL restarted under load (a private cluster, with TIERDESK_TEST_PG_URL)', () => {
  let cluster: PrivatePostgres | undefined;
  let why: string | undefined;
  beforeAll(async () => {
    why = await privatePostgresUnavailable();
    if (!why) cluster = await startPrivatePostgres();
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('replicas reconnect and carry on; requests during the outage get the retryable answer; no acknowledged ticket is lost or doubled', async (ctx) => {
    ctx.skip(why !== undefined, `cannot run a private PostgreSQL here: ${why}`);
    const pg = cluster!;

    // Anything that would crash a real process: an unhandled rejection or exception anywhere.
    const crashes: unknown[] = [];
    const onCrash = (err: unknown) => void crashes.push(err);
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
    const lost: Error[] = [];
    let db: Db | undefined;
    let check: Db | undefined;
    let desk: Desk | undefined;
    let loading = true;
    let load: Promise<unknown> = Promise.resolve();
    try {
      db = openDatabase(`${pg.url}?application_name=tierdesk_restart_test`, { onConnectionError: (e) => lost.push(e) });
      await migrateToLatest(db);
      // Real time (leases, backoffs and the loops' timers run on it), set on a Monday morning so
      // business hours and paging are the same whenever the test runs.
      const t0 = Date.now();
      const monday = Date.parse('2024-06-03T09:00:00Z');
      const clock: Clock = { now: () => monday + (Date.now() - t0) };
      const logger = createMemoryLogger();
      const adapter = new RecordingAdapter();
      // Leases of seconds, not the default minute: what a pass had leased when the server went away
      // stays leased (nobody could write it back) and is taken again only when the lease ends, which
      // with a minute's lease would be a minute after the restart, longer than this test may take.
      desk = createDesk({
        db,
        config: loadConfig({ text: DEMO_CONFIG_YAML, env: {} }),
        clock,
        logger,
        adapters: [adapter],
        dispatcher: { leaseMs: 2_000 },
        scheduler: { leaseMs: 2_000 },
      });
      // Timers due all through the run, across both outages: each must fire exactly once. The handler
      // writes its mark in the timer's own transaction, so a mark is there iff the firing committed.
      desk.scheduler.on(PROBE, async (work, timer) => {
        await work.db
          .insertInto('inbound_keys')
          .values({ key: `probe-fired:${timer.subject}:${work.core.newId()}`, at: work.now })
          .execute();
      });
      const probes = Array.from({ length: 40 }, (_, i) => ({ kind: PROBE, subject: String(i), dueAt: clock.now() + 100 * i }));
      await setTimers(db, probes, clock.now());
      await desk.start();

      // The load: four requesters' clients opening tickets back to back, each with its own idempotency
      // key; a client told "try again" retries the same event (same key), as Slack does.
      const attempts: Attempt[] = [];
      const opened = new Map<string, number>(); // title → the number its acknowledgement named
      const client = async (w: number) => {
        for (let i = 1; loading; i++) {
          const key = `restart:${w}:${i}`;
          const title = `Load ${w}-${i}`;
          for (;;) {
            const event: Inbound = {
              kind: 'command',
              name: 'ticket',
              text: `new ${title}`,
              key,
              at: clock.now(),
              from: { platform: 'console', space: 'local', id: `requester-${w}-${i}`, name: `Requester ${w}-${i}` },
              place: { platform: 'console', space: 'local', channel: 'console' },
            };
            const sent = Date.now();
            const reply = (await desk!.handle(event))?.text;
            attempts.push({ key, title, sent, answered: Date.now(), reply });
            const ack = reply !== undefined ? OPENED.exec(reply) : null;
            if (ack) {
              opened.set(title, Number(ack[1]));
              break;
            }
            if (reply !== DATABASE_UNAVAILABLE_REPLY) break; // asserted below: nothing else may be answered
            await pause(20); // a client backing off a little before trying again
          }
          await pause(2);
        }
      };
      load = Promise.all([0, 1, 2, 3].map(client));
      const acksSince = (at: number) => attempts.filter((a) => a.sent > at && a.reply !== undefined && OPENED.test(a.reply)).length;
      const outages: Outage[] = [];

      const LOAD = 150; // tickets acknowledged in each phase: before, between and after the outages
      await until('the load is under way', () => opened.size >= LOAD);

      // 1. A restart under load: every connection is cut (57P01), the server is back at once.
      const restartFrom = Date.now();
      await pg.restart();
      outages.push({ how: 'pg_ctl restart -m fast', from: restartFrom, to: Date.now() });
      await until('tickets open again after the restart', () => acksSince(outages[0]!.to) >= LOAD);

      // 2. A longer outage: stopped, kept down until requests have landed on a server that is not there, started.
      const stopFrom = Date.now();
      await pg.stop();
      const down = Date.now();
      const logged = logger.lines.length;
      const whileDown = () => attempts.filter((a) => a.sent >= down);
      await until('requests landed while the server was down', () => whileDown().length >= 8);
      // Both loops run a pass against the stopped server, fail it, log it, and stay alive.
      desk.dispatcher.nudge();
      desk.scheduler.nudge();
      await until('both loops logged a failed pass', () =>
        ['dispatcher pass failed', 'scheduler pass failed'].every((m) => logger.lines.slice(logged).some((l) => l.msg === m)),
      );
      const startFrom = Date.now();
      const landedWhileDown = whileDown().filter((a) => a.answered <= startFrom);
      await pg.start();
      outages.push({ how: 'pg_ctl stop -m fast … pg_ctl start', from: stopFrom, to: Date.now() });
      await until('tickets open again after the server came back', () => acksSince(outages[1]!.to) >= LOAD);
      // Under load the loops carry on: newer tickets' messages go out at once, and what a pass had
      // leased when the server went away is taken again once its lease ends.
      const upAt = clock.now() - (Date.now() - outages[1]!.to);
      const stranded = async () =>
        (await db!.selectFrom('outbox').select('id').where('status', '=', 'pending').where('created_at', '<=', upAt).execute()).length;
      await until('what was committed before the server came back is delivered, under load', async () => (await stranded()) === 0, 15_000);

      loading = false;
      await load;
      const loadEnded = Date.now();

      // Every request was answered with an acknowledgement or the retryable answer: no apology, no silence
      // (a retry answered silently would mean an attempt refused with "nothing was changed" had committed).
      const others = attempts.filter((a) => !(a.reply === DATABASE_UNAVAILABLE_REPLY || (a.reply !== undefined && OPENED.test(a.reply))));
      expect(others.map((a) => `${a.key}: ${a.reply ?? '(no answer)'}`)).toEqual([]);
      const refused = attempts.filter((a) => a.reply === DATABASE_UNAVAILABLE_REPLY);
      // Requests that arrived while the server was down got the retryable answer…
      expect(landedWhileDown.length).toBeGreaterThanOrEqual(8);
      expect(landedWhileDown.every((a) => a.reply === DATABASE_UNAVAILABLE_REPLY)).toBe(true);
      // …and only requests that overlapped an outage got it: once the server is back, nothing is refused.
      const outside = refused.filter((a) => !outages.some((o) => a.sent <= o.to && a.answered >= o.from));
      expect(
        outside.map((a) => `${a.key} ${a.sent}–${a.answered}`),
        JSON.stringify(outages),
      ).toEqual([]);

      // Every acknowledged ticket is in the database exactly once, under the number it was acknowledged
      // with and its title, and no ticket is there that was not acknowledged (refused attempts changed nothing).
      check = openDatabase(pg.url);
      const rows = await check.selectFrom('tickets').select(['number', 'title']).execute();
      const byTitle = new Map<string, number[]>();
      for (const r of rows) byTitle.set(r.title, [...(byTitle.get(r.title) ?? []), Number(r.number)]);
      const wrong = [...opened].filter(([title, n]) => JSON.stringify(byTitle.get(title)) !== JSON.stringify([n]));
      expect(wrong.map(([title, n]) => `${title}: acknowledged as #${n}, stored as ${JSON.stringify(byTitle.get(title) ?? [])}`)).toEqual([]);
      expect(rows.length).toBe(opened.size);
      const keys = await check.selectFrom('inbound_keys').select('key').where('key', 'like', 'restart:%').execute();
      expect(keys.length).toBe(opened.size);

      // The background loops deliver the rest on their own (nobody drains them).
      const pending = async () => (await check!.selectFrom('outbox').select('id').where('status', '=', 'pending').execute()).length;
      await until('the outbox is delivered', async () => (await pending()) === 0, 10_000);
      const delivered = Date.now();
      const notSent = await check.selectFrom('outbox').select(['id', 'status', 'last_error']).where('status', '!=', 'sent').execute();
      expect(notSent).toEqual([]);
      // Each acknowledged ticket's agent card and requester anchor reached the platform, and the id
      // the platform gave each was recorded.
      const posted = new Set(adapter.messages.map((m) => m.id));
      const recorded = new Map((await check.selectFrom('messages').select(['key', 'message_id']).execute()).map((m) => [m.key, m.message_id]));
      const undelivered = [...opened.values()].flatMap((n) =>
        [`ticket:${n}:card:L1`, `ticket:${n}:requester`].filter((key) => !posted.has(recorded.get(key) ?? '')),
      );
      expect(undelivered).toEqual([]);
      // The scheduler fired every timer, those that fell due during the outages too, each exactly once.
      await until(
        'every probe timer fired',
        async () => (await check!.selectFrom('timers').select('id').where('kind', '=', PROBE).execute()).length === 0,
      );
      const marks = (await check.selectFrom('inbound_keys').select('key').where('key', 'like', 'probe-fired:%').execute()).map(
        (k) => k.key.split(':')[1],
      );
      expect(marks.sort((a, b) => Number(a) - Number(b))).toEqual(probes.map((p) => p.subject));

      // Nothing crashed: broken connections were reported to the pool's listener, each an outage; the
      // only errors logged are the loops' failed passes (and timers that could not be written back).
      expect(crashes.map((e) => (e instanceof Error ? (e.stack ?? e.message) : String(e)))).toEqual([]);
      expect(lost.length).toBeGreaterThan(0);
      expect(lost.filter((e) => !isDatabaseUnavailable(e)).map(String)).toEqual([]);
      const errors = new Set(logger.lines.filter((l) => l.level === 'error').map((l) => l.msg));
      expect([...errors].filter((m) => !['dispatcher pass failed', 'scheduler pass failed', 'timer handler failed; will retry'].includes(m))).toEqual(
        [],
      );

      // At-least-once delivery: a message posted just before its row could be marked sent goes out again.
      const seen = new Map<string, number>();
      for (const m of adapter.messages) seen.set(`${m.place.channel} ${m.card.title}`, (seen.get(`${m.place.channel} ${m.card.title}`) ?? 0) + 1);
      const twice = [...seen.values()].filter((n) => n > 1).length;
      await ctx.annotate(
        `${opened.size} tickets acknowledged, ${refused.length} requests refused as retryable (${landedWhileDown.length} while fully down), ` +
          `${lost.length} broken connections reported, ${twice} messages posted twice; load ${loadEnded - t0} ms, delivered ${delivered - loadEnded} ms after`,
      );
    } finally {
      loading = false;
      await load.catch(() => undefined);
      await desk?.stop().catch(() => undefined);
      await db?.destroy().catch(() => undefined);
      await check?.destroy().catch(() => undefined);
      process.off('unhandledRejection', onCrash);
      process.off('uncaughtException', onCrash);
    }
  });
});
