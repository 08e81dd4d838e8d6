import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesk } from '../../src/core/desk.js';
import { healthReport } from '../../src/core/operations.js';
import { DEMO_CONFIG_YAML, loadConfig } from '../../src/config/config.js';
import { UserError } from '../../src/domain/errors.js';
import { createMemoryLogger } from '../../src/logger.js';
import { FakeClock, type Inbound } from '../../src/ports.js';
import { DATABASE_UNAVAILABLE_REPLY, isDatabaseUnavailable, openDatabase, type Db } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { pgUrl, testDatabase } from '../support/database.js';
import { RecordingAdapter } from '../support/recording-adapter.js';

// PostgreSQL going away under a running tierdesk, simulated without touching the shared server:
// a port with nothing listening, backends of this test terminated (pg_terminate_backend sends
// 57P01, as a server shutting down does), and a loopback TCP proxy in front of the server that the
// test cuts and restores. Runs only when TIERDESK_TEST_PG_URL names a server.
const PG = process.env.TIERDESK_TEST_PG_URL;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Poll `check` until it holds, failing after `ms` (no fixed sleeps: it returns as soon as it holds). */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `url` with another host:port and extra query parameters. */
function withAddress(url: string, port: number, params: Record<string, string> = {}): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

/** A port on loopback with nothing listening on it. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP proxy to the test PostgreSQL: `cut()` drops every connection and refuses new ones; `restore()` listens again on the same port. */
async function pgProxy(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = async () => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  const cut = async () => {
    const closing = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const s of sockets) s.destroy();
    await closing;
    server = undefined;
  };
  await listen();
  return { port, cut, restore: listen };
}

describe.skipIf(!PG)('PostgreSQL unreachable (TIERDESK_TEST_PG_URL)', () => {
  it('a server that is not there: the error is recognised as "unavailable", not as a bug; health says database: false', async () => {
    const lost: Error[] = [];
    const db = openDatabase(withAddress(pgUrl(), await deadPort()), { onConnectionError: (e) => lost.push(e) });
    cleanups.push(() => db.destroy());

    const err = await sql`select 1`.execute(db).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(err)).toBe(true);

    const config = loadConfig({ text: DEMO_CONFIG_YAML, env: {} });
    const desk = createDesk({ db, config, clock: new FakeClock(0), logger: createMemoryLogger(), adapters: [new RecordingAdapter()] });
    expect(await healthReport(desk.core, [])).toMatchObject({ ok: false, database: false });
  });

  it('errors that are not an outage are not taken for one: bad SQL, a constraint, a refusal, a plain bug', async () => {
    const db = await testDatabase('postgres');
    cleanups.push(() => db.destroy());
    await migrateToLatest(db);
    const syntax = await sql`selec 1`.execute(db).then(
      () => undefined,
      (e: unknown) => e,
    );
    const insertKey = () => db.insertInto('inbound_keys').values({ key: 'k', at: 0 }).execute();
    await insertKey();
    const duplicate = await insertKey().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((syntax as { code?: string }).code).toBe('42601');
    expect((duplicate as { code?: string }).code).toBe('23505');
    for (const err of [
      syntax,
      duplicate,
      new UserError('busy', 'Ticket #1 is being changed'),
      new TypeError('x is undefined'),
      undefined,
      'ECONNREFUSED',
    ]) {
      expect(isDatabaseUnavailable(err), String(err)).toBe(false);
    }
    // …and the shapes of an outage, wrapped or not.
    for (const err of [
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      new Error('Connection terminated unexpectedly'),
      new Error('wrapped', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }),
      new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], 'all failed'),
    ]) {
      expect(isDatabaseUnavailable(err), String(err)).toBe(true);
    }
  });

  it('backends terminated under idle connections and an open transaction: no crash, the failure is "unavailable", the pool reconnects', async () => {
    const base = await testDatabase('postgres');
    cleanups.push(() => base.destroy());
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(base)).rows[0]!.s;
    const app = `tierdesk_outage_${Math.random().toString(36).slice(2, 10)}`;
    const lost: Error[] = [];
    const db = openDatabase(withAddress(pgUrl(schema), Number(new URL(PG!).port || 5432), { application_name: app }), {
      onConnectionError: (e) => lost.push(e),
    });
    cleanups.push(() => db.destroy());
    // Two pooled connections, both idle now.
    await Promise.all([sql`select pg_sleep(0.05)`.execute(db), sql`select pg_sleep(0.05)`.execute(db)]);

    // A transaction holds one of them between two statements while every backend of ours is terminated.
    let terminated!: () => void;
    const afterTermination = new Promise<void>((resolve) => (terminated = resolve));
    cleanups.push(async () => terminated()); // never leave the transaction waiting, whatever failed
    let inTransaction!: () => void;
    const begun = new Promise<void>((resolve) => (inTransaction = resolve));
    const transaction = db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      inTransaction();
      await afterTermination;
      await sql`select 1`.execute(trx);
    });
    const failed = transaction.then(
      () => undefined,
      (e: unknown) => e,
    );
    await begun;
    const killed = await sql<{
      n: number;
    }>`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = ${app}`.execute(base);
    expect(killed.rows[0]!.n).toBe(2);
    // pg tells each client: the idle one through the pool, the checked-out one itself. Both reach us; neither crashes the process.
    await until('both broken connections were reported', () => lost.length >= 2);
    // Which note each client gets depends on timing under load: the server's 57P01 for at least one,
    // for the other possibly only the broken socket ("Connection terminated unexpectedly").
    expect(lost.filter((e) => (e as { code?: string }).code === '57P01').length).toBeGreaterThanOrEqual(1);
    expect(lost.every((e) => isDatabaseUnavailable(e))).toBe(true);
    terminated();

    expect(isDatabaseUnavailable(await failed)).toBe(true);
    // The server is fine: the next queries get fresh connections.
    const again = await sql<{ one: number }>`select 1 as one`.execute(db);
    expect(again.rows).toEqual([{ one: 1 }]);
    await db.transaction().execute(async (trx) => void (await sql`select 1`.execute(trx)));
  });

  describe('a desk whose database goes away for a while (TCP proxy cut, then restored)', () => {
    async function proxiedDesk() {
      const base = await testDatabase('postgres');
      cleanups.push(() => base.destroy());
      await migrateToLatest(base);
      const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(base)).rows[0]!.s;
      const proxy = await pgProxy(new URL(PG!));
      cleanups.push(() => proxy.cut());
      const logger = createMemoryLogger();
      const lost: Error[] = [];
      const db: Db = openDatabase(withAddress(pgUrl(schema), proxy.port), { onConnectionError: (e) => lost.push(e) });
      cleanups.push(() => db.destroy());
      const adapter = new RecordingAdapter();
      const clock = new FakeClock(Date.parse('2024-06-03T09:00:00Z'));
      const desk = createDesk({
        db,
        config: loadConfig({ text: DEMO_CONFIG_YAML, env: {} }),
        clock,
        logger,
        adapters: [adapter],
        dispatcher: { random: () => 0.5 },
      });
      await desk.start();
      cleanups.push(() => desk.stop());
      let seq = 0;
      const say = (text: string, who = 'requester') => {
        const event: Inbound = {
          kind: 'command',
          name: 'ticket',
          text,
          key: `outage:${++seq}`,
          at: clock.now(),
          from: { platform: 'console', space: 'local', id: who, name: who },
          place: { platform: 'console', space: 'local', channel: 'console' },
        };
        return desk.handle(event);
      };
      const tickets = async () => (await base.selectFrom('tickets').select('title').orderBy('number').execute()).map((r) => r.title);
      return { base, proxy, logger, lost, adapter, desk, say, tickets };
    }

    it('the loops log and carry on; once the database is back the pool reconnects and everything acknowledged is delivered', async () => {
      const t = await proxiedDesk();
      expect((await t.say('new Before the outage'))?.text).toMatch(/Ticket #1 opened/);

      await t.proxy.cut();
      const failure = await t.say('new During the outage');
      expect(failure?.text).not.toMatch(/opened/);
      // Both background loops run a pass now, fail it, log it, and stay alive.
      t.desk.dispatcher.nudge();
      t.desk.scheduler.nudge();
      await until('both loops logged a failed pass', () =>
        ['dispatcher pass failed', 'scheduler pass failed'].every((m) => t.logger.lines.some((l) => l.level === 'error' && l.msg === m)),
      );

      await t.proxy.restore();
      expect((await t.say('new After the outage'))?.text).toMatch(/Ticket #2 opened/);
      // The commit woke the dispatcher: its background loop delivers both acknowledged tickets' cards.
      await until('both tickets were delivered by the background loop', () => {
        const text = t.adapter.messages.map((m) => m.card.fallback).join('\n');
        return text.includes('Before the outage') && text.includes('After the outage');
      });
      expect(await t.tickets()).toEqual(['Before the outage', 'After the outage']);
      expect(t.lost.length).toBeGreaterThan(0); // the cut connections were reported, not thrown
      await until(
        'the outbox is empty',
        async () => (await t.base.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute()).length === 0,
      );
    });

    it('an inbound request during the outage gets a clear, retryable answer (not the generic apology), and nothing was changed', async () => {
      const t = await proxiedDesk();
      await t.proxy.cut();
      const reply = await t.say('new During the outage');
      expect(reply?.text).toBe(DATABASE_UNAVAILABLE_REPLY);
      expect(reply?.refusal).toEqual({ code: 'unavailable' }); // the API answers 503 from it
      await t.proxy.restore();
      expect(await t.tickets()).toEqual([]);
      // Trying again later works.
      expect((await t.say('new During the outage'))?.text).toMatch(/Ticket #1 opened/);
    });
  });
});
