import { afterEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../src/core/desk.js';
import { DEMO_CONFIG_YAML, loadConfig } from '../../src/config/config.js';
import { createMemoryLogger } from '../../src/logger.js';
import { FakeClock, type Inbound } from '../../src/ports.js';
import type { Db } from '../../src/store/connect.js';
import type { DialectName } from '../../src/store/dialect.js';
import { releaseHeldLeases, trackLeases } from '../../src/store/leases.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { leaseOutbox } from '../../src/store/outbox.js';
import { leaseDueTimers, setTimers } from '../../src/store/timers.js';
import { testDatabase } from '../support/database.js';
import { RecordingAdapter } from '../support/recording-adapter.js';

// A stopping process gives back the leases it holds (outbox rows, timers), so another replica takes
// that work at once instead of a minute later, and never touches a lease another replica holds.
// SQLite always; PostgreSQL too when TIERDESK_TEST_PG_URL is set (its timers are leased by another
// statement, FOR UPDATE SKIP LOCKED in a CTE, which the tracking must recognise as well).
const dialects: DialectName[] = process.env.TIERDESK_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
const MINUTE = 60_000;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.each(dialects)('leases given back on stop (%s)', (dialect) => {
  async function setup() {
    const base = await testDatabase(dialect);
    cleanups.push(() => base.destroy());
    await migrateToLatest(base);
    const clock = new FakeClock(Date.parse('2024-06-03T09:00:00Z'));
    const config = loadConfig({ text: DEMO_CONFIG_YAML, env: {} });
    const db = trackLeases(base, () => clock.now());
    const replica = (handle: Db) => {
      const logger = createMemoryLogger();
      const adapter = new RecordingAdapter();
      const desk = createDesk({ db: handle, config, clock, logger, adapters: [adapter], dispatcher: { random: () => 0.5 } });
      cleanups.push(() => desk.stop());
      return { desk, logger, adapter };
    };
    let seq = 0;
    const open = async (desk: Desk, title: string) => {
      const event: Inbound = {
        kind: 'command',
        name: 'ticket',
        text: `new ${title}`,
        key: `lease-test:${++seq}`,
        at: clock.now(),
        from: { platform: 'console', space: 'local', id: 'requester', name: 'requester' },
        place: { platform: 'console', space: 'local', channel: 'console' },
      };
      const reply = await desk.handle(event);
      expect(reply?.text).toMatch(/Ticket #\d+ opened/);
    };
    const outboxOf = async (ticket: number) =>
      base.selectFrom('outbox').select(['id', 'lease_until', 'status']).where('ticket', '=', ticket).orderBy('id').execute();
    return { base, db, clock, replica, open, outboxOf };
  }

  it('stop() releases exactly the leases this process holds; a lease another replica holds stays', async () => {
    const t = await setup();
    const us = t.replica(t.db); // this process: leases through the tracked handle
    await t.open(us.desk, 'Printer on fire');
    await t.open(us.desk, 'Keyboard missing keys');
    const now = t.clock.now();
    const mine = (await t.outboxOf(1)).map((r) => r.id);
    const theirs = (await t.outboxOf(2)).map((r) => r.id);
    expect(mine.length).toBeGreaterThan(0);
    expect(theirs.length).toBeGreaterThan(0);
    // What a delivery pass cut short leaves behind: our rows leased by us, ticket 2's by another replica.
    expect(await leaseOutbox(t.db, mine, now, now + MINUTE)).toHaveLength(mine.length);
    expect(await leaseOutbox(t.base, theirs, now, now + MINUTE)).toHaveLength(theirs.length);
    // Two due timers: one leased by us, one by the other replica.
    await setTimers(
      t.base,
      [
        { kind: 'lease-test', subject: 'ours', dueAt: now - 2000 },
        { kind: 'lease-test', subject: 'theirs', dueAt: now - 1000 },
      ],
      now,
    );
    expect((await leaseDueTimers(t.db, now, now + MINUTE, 1)).map((r) => r.subject)).toEqual(['ours']);
    expect((await leaseDueTimers(t.base, now, now + MINUTE, 1)).map((r) => r.subject)).toEqual(['theirs']);

    t.clock.advance(5000);
    await us.desk.stop();

    expect((await t.outboxOf(1)).map((r) => [r.lease_until, r.status])).toEqual(mine.map(() => [null, 'pending']));
    expect((await t.outboxOf(2)).map((r) => Number(r.lease_until))).toEqual(theirs.map(() => now + MINUTE));
    const timers = await t.base
      .selectFrom('timers')
      .select(['subject', 'lease_until', 'next_at'])
      .where('kind', '=', 'lease-test')
      .orderBy('subject')
      .execute();
    expect(timers.map((r) => [r.subject, r.lease_until === null ? null : Number(r.lease_until), Number(r.next_at)])).toEqual([
      ['ours', null, now + 5000], // due now: any replica's next tick takes it
      ['theirs', now + MINUTE, now + MINUTE],
    ]);
    expect(us.logger.lines).toContainEqual({ level: 'info', msg: 'leases given back', fields: { outbox: mine.length, timers: 1 } });

    // Another replica delivers the rows we gave back right away, and leaves the held ones alone.
    const other = t.replica(t.base);
    const pass = await other.desk.dispatcher.deliverDue();
    expect(pass.sent).toBe(mine.length);
    expect((await t.outboxOf(1)).every((r) => r.status === 'sent')).toBe(true);
    expect((await t.outboxOf(2)).every((r) => r.status === 'pending')).toBe(true);
    expect(other.adapter.messages.map((m) => m.card.fallback).join('\n')).toContain('Printer on fire');
    expect(other.adapter.messages.map((m) => m.card.fallback).join('\n')).not.toContain('Keyboard missing keys');
  });

  it('a lease of ours that expired and was taken by another replica is theirs now: not released', async () => {
    const t = await setup();
    const us = t.replica(t.db);
    await t.open(us.desk, 'Printer on fire');
    const ids = (await t.outboxOf(1)).map((r) => r.id);
    const now = t.clock.now();
    await leaseOutbox(t.db, ids, now, now + MINUTE);
    await setTimers(t.base, [{ kind: 'lease-test', subject: 'x', dueAt: now }], now);
    await leaseDueTimers(t.db, now, now + MINUTE, 10);
    // We hang past the lease; the other replica takes both.
    t.clock.advance(MINUTE + 1000);
    const later = t.clock.now();
    expect(await leaseOutbox(t.base, ids, later, later + MINUTE)).toHaveLength(ids.length);
    expect((await leaseDueTimers(t.base, later, later + MINUTE, 10)).map((r) => r.subject)).toContain('x');

    await us.desk.stop();

    expect((await t.outboxOf(1)).map((r) => Number(r.lease_until))).toEqual(ids.map(() => later + MINUTE));
    const timer = await t.base.selectFrom('timers').select(['lease_until']).where('id', '=', 'lease-test:x').executeTakeFirstOrThrow();
    expect(Number(timer.lease_until)).toBe(later + MINUTE);
    expect(us.logger.lines.filter((l) => l.msg === 'leases given back')).toEqual([]);
  });

  it('after ordinary delivery and firing nothing is left to give back; without tracking nothing is touched', async () => {
    const t = await setup();
    const us = t.replica(t.db);
    await t.open(us.desk, 'Printer on fire');
    await us.desk.dispatcher.drain(); // leases taken and ended by sending
    expect((await t.outboxOf(1)).every((r) => r.status === 'sent' && r.lease_until === null)).toBe(true);
    expect(await releaseHeldLeases(t.db, t.clock.now())).toEqual({ outbox: 0, timers: 0 });

    // A database opened without tracking cannot tell its leases from another replica's: none released.
    const now = t.clock.now();
    await setTimers(t.base, [{ kind: 'lease-test', subject: 'y', dueAt: now }], now);
    await leaseDueTimers(t.base, now, now + MINUTE, 10);
    expect(await releaseHeldLeases(t.base, now)).toEqual({ outbox: 0, timers: 0 });
    const timer = await t.base.selectFrom('timers').select(['lease_until']).where('id', '=', 'lease-test:y').executeTakeFirstOrThrow();
    expect(Number(timer.lease_until)).toBe(now + MINUTE);
  });
});
