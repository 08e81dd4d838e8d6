import { afterEach, describe, expect, it, vi } from 'vitest';
import { armHandoffs } from '../../src/capabilities/oncall/handoffs.js';
import { validateNewTicket } from '../../src/capabilities/tickets/open-ticket.js';
import { Pump } from '../../src/core/pump.js';
import { ticketFieldsFromMessage } from '../../src/capabilities/tickets/ticket-from-message.js';
import { PermanentDeliveryError, RateLimitedError } from '../../src/ports.js';
import { insertOutbox, leaseOutbox, nextOutboxDue, type NewOutboxItem } from '../../src/store/outbox.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';
import { durableTestDatabase } from '../support/database.js';

// Bugs a review found, each pinned by the behaviour that was wrong.
const desks: TestDesk[] = [];
afterEach(async () => {
  for (const d of desks.splice(0)) await d.close();
});
async function desk(options: Parameters<typeof createTestDesk>[0] = {}) {
  const d = await createTestDesk(options);
  desks.push(d);
  return d;
}
const HOUR = 3_600_000;

describe('the outbox', () => {
  it('gives up on messages under a card that was given up, and does not spin on them', async () => {
    const d = await desk();
    d.adapter.failuresIn.set('l1-desk', [new PermanentDeliveryError('channel_not_found')]);
    await d.say('requester', '/ticket new Printer on fire');
    await d.say('agent1', '/ticket note 1 a note under the dead card');
    const rows = await d.db.selectFrom('outbox').select(['op', 'status', 'target']).where('target', 'like', '%card:L1%').execute();
    expect(rows.map((r) => r.status)).not.toContain('pending');
    const due = await nextOutboxDue(d.db);
    expect(due === undefined || due > d.clock.now()).toBe(true);
  });

  it('wakes for rows another process has leased only when the lease ends, not while they are its to deliver', async () => {
    const d = await desk();
    await d.desk.handle({
      kind: 'command',
      name: 'ticket',
      text: 'new Leased elsewhere',
      key: 'leased',
      at: d.clock.now(),
      from: { platform: 'console', space: 'local', id: 'u', name: 'u' },
      place: { platform: 'console', space: 'local', channel: 'console' },
    });
    const now = d.clock.now();
    expect(await nextOutboxDue(d.db, now)).toBe(now);
    await d.db
      .updateTable('outbox')
      .set({ lease_until: now + 60_000 })
      .where('status', '=', 'pending')
      .execute();
    expect(await nextOutboxDue(d.db, now)).toBe(now + 60_000); // not before the lease ends (its holder may be gone)
    expect(await nextOutboxDue(d.db, now + 60_000)).toBe(now); // the lease ended: due again
  });

  it('a pass that outlives its lease stops at the next row: another replica has it (each row once, bar the one in flight)', async () => {
    const store = durableTestDatabase();
    const a = await desk({ db: await store.open() });
    const b = await desk({ db: await store.open(), now: '2024-06-03T09:01:01Z' }); // 61 s on: A's lease has run out for B
    try {
      // Three messages of one conversation (one place), due now.
      const now = a.clock.now();
      await insertOutbox(
        a.db,
        [1, 2, 3].map((i) => ({
          id: `row${i}`,
          created_at: now,
          target: { kind: 'place', place: { platform: 'console', space: 'local', channel: 'peer' } },
          message_key: null,
          ticket: null,
          side: null,
          body: { op: 'post', card: { title: `M${i}`, fallback: `M${i}` } },
          next_attempt_at: now,
        })),
      );
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const sending = new Promise<void>((resolve) => (entered = resolve));
      const post = a.adapter.post.bind(a.adapter);
      let first = true;
      a.adapter.post = async (place, card) => {
        if (first) {
          first = false;
          entered();
          await gate; // a platform that hangs past the lease
        }
        return post(place, card);
      };
      const aPass = a.desk.dispatcher.deliverDue(); // A leases M1..M3 and hangs on M1
      await sending;
      await b.desk.dispatcher.drain(); // B finds the lease over and delivers all three
      release();
      await aPass; // A finishes M1, then finds its lease on M2 taken: it stops
      const titles = (d: TestDesk) => d.adapter.messages.map((m) => m.card.title);
      expect(titles(b)).toEqual(['M1', 'M2', 'M3']);
      expect(titles(a)).toEqual(['M1']); // the send already under way when the lease ran out (at least once)
    } finally {
      await a.close();
      await b.close();
      await store.remove();
    }
  });

  it('a row held back by a platform-wide rate limit keeps no lease (it would block its conversation for a minute)', async () => {
    const d = await desk();
    d.adapter.failures.push(new RateLimitedError(5_000, true));
    await d.say('requester', '/ticket new Printer on fire');
    const pending = await d.db.selectFrom('outbox').select(['id', 'lease_until']).where('status', '=', 'pending').execute();
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.filter((r) => r.lease_until !== null)).toEqual([]);
    await d.advance(5_000);
    expect(await d.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute()).toEqual([]);
  });

  it('does not spin while a due row waits behind an earlier one in backoff, and leases only due rows', async () => {
    const d = await desk();
    const now = d.clock.now();
    const row = (id: string, due: number): NewOutboxItem => ({
      id,
      created_at: now,
      target: { kind: 'place', place: { platform: 'console', space: 'local', channel: 'peer' } },
      message_key: null,
      ticket: null,
      side: null,
      body: { op: 'post', card: { title: id, fallback: id } },
      next_attempt_at: due,
    });
    await insertOutbox(d.db, [row('a-first', now + 5 * 60_000), row('b-second', now)]);
    // Not due: never leased, whatever a stale read says.
    expect(await leaseOutbox(d.db, ['a-first'], now, now + 60_000)).toEqual([]);
    const passes = vi.spyOn(d.desk.dispatcher, 'deliverDue');
    vi.useFakeTimers();
    try {
      d.desk.dispatcher.start();
      await vi.advanceTimersByTimeAsync(500);
      expect(passes.mock.calls.length).toBeLessThanOrEqual(2); // was one pass every 10 ms
      await d.desk.dispatcher.stop();
    } finally {
      vi.useRealTimers();
    }
    expect(d.adapter.messages).toEqual([]); // order kept: b waits for a
  });

  it("does not let 200 undeliverable rows hide the next requester's messages", async () => {
    const d = await desk();
    d.adapter.failuresIn.set(
      'l1-desk',
      Array.from({ length: 5000 }, () => new Error('l1-desk is down')),
    );
    for (let i = 0; i < 205; i++)
      await d.desk.handle({
        kind: 'command',
        name: 'ticket',
        text: `new Ticket ${i}`,
        key: `k${i}`,
        at: d.clock.now(),
        from: { platform: 'console', space: 'local', id: `user${i}`, name: `user${i}` },
        place: { platform: 'console', space: 'local', channel: 'console' },
      });
    await d.desk.dispatcher.drain();
    expect(d.adapter.messages.filter((m) => m.place.channel.startsWith('dm:user'))).toHaveLength(205);
  });
});

describe('SLA clocks', () => {
  it('come back when a ticket waiting on the requester is escalated', async () => {
    const d = await desk();
    await d.say('requester', '/ticket new Printer on fire --urgency high'); // P2: 1 h / 8 h
    await d.say('agent1', '/ticket claim 1');
    await d.say('agent1', '/ticket wait 1');
    await d.say('agent1', '/ticket escalate 1 needs L2');
    await d.advance(10 * HOUR);
    expect(await d.say('agent2', '/ticket history 1')).toMatch(/SLA breached: resolution/);
  });

  it('after a priority change during a pause, give again the warnings the new target has not reached', async () => {
    const d = await desk();
    await d.say('requester', '/ticket new Database down --urgency high --impact high'); // P1: 15 min / 4 h
    await d.say('agent1', '#1 looking'); // first response met
    await d.advance(3.5 * HOUR); // resolution 87% of 4 h: its 75% warning is given
    await d.say('agent1', '/ticket wait 1');
    await d.advance(48 * HOUR);
    await d.say('agent1', '/ticket priority 1 --priority P2'); // 8 h: 44% used
    await d.say('requester', '#1 back');
    await d.advance(3 * HOUR); // 6.5 h of 8 h: 81%
    const history = (await d.say('agent1', '/ticket history 1')) ?? '';
    expect(history.match(/SLA warning: resolution 75% used/g)).toHaveLength(2);
  });
});

describe('on call', () => {
  it('a handoff that came due while tierdesk was down still tells the person, late', async () => {
    const d = await desk({ now: '2024-06-03T08:00:00Z' });
    await armHandoffs(d.desk.core);
    d.clock.set('2024-06-03T10:00:00Z'); // "down" past a handoff, then restarted:
    await armHandoffs(d.desk.core);
    const before = (await d.db.selectFrom('timers').select('due_at').where('kind', '=', 'handoff').executeTakeFirst())?.due_at;
    expect(before === undefined || Number(before) <= d.clock.now()).toBe(true);
  });
});

describe('tickets from messages', () => {
  it('a very long message becomes a ticket whose description fits, with a pointer to the rest', async () => {
    const d = await desk();
    const fields = ticketFieldsFromMessage(d.desk.core, 'x'.repeat(5000), 'https://chat.example/msg/1');
    expect(() => validateNewTicket(d.desk.core, fields)).not.toThrow();
    expect(fields.description).toMatch(/cut; the rest is at the link\)\n\nFrom: https:\/\/chat\.example\/msg\/1$/);
  });
});

describe('the background loop', () => {
  it('does not sleep past a nudge that came while it was reading when to wake', async () => {
    const d = await desk();
    let passes = 0;
    let release!: () => void;
    const reading = new Promise<void>((resolve) => (release = resolve));
    let firstRead = true;
    const pump = new Pump(
      d.desk.core,
      'test',
      async () => void passes++,
      async () => {
        if (firstRead) {
          firstRead = false;
          await reading;
        }
        return undefined;
      },
    );
    pump.start();
    await new Promise((resolve) => setImmediate(resolve));
    pump.nudge(); // arrives while the loop awaits nextDue()
    release();
    for (let i = 0; i < 20 && passes < 2; i++) await new Promise((resolve) => setImmediate(resolve));
    await pump.stop();
    expect(passes).toBe(2);
  });
});

describe('the background loop when every pass fails (database down)', () => {
  it('tries again after 1 s, 2 s, 4 s … at most 30 s, and from the start after a pass that works', async () => {
    const d = await desk(); // before the fake timers: the database's own timers stay real
    vi.useFakeTimers();
    try {
      let failing = true;
      const at: number[] = [];
      const start = Date.now();
      const pump = new Pump(
        d.desk.core,
        'test',
        async () => {
          at.push(Date.now() - start);
          if (failing) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        },
        async () => undefined,
      );
      pump.start();
      for (let i = 0; i < 7; i++) await vi.advanceTimersToNextTimerAsync();
      expect(at).toEqual([0, 1000, 3000, 7000, 15000, 31000, 61000, 91000]);
      failing = false;
      await vi.advanceTimersToNextTimerAsync();
      await vi.advanceTimersToNextTimerAsync();
      expect(at.slice(-2)).toEqual([121000, 151000]); // healthy again: the idle wake-up, not the backoff
      await pump.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('housekeeping', () => {
  it('forgets idempotency keys after a week, daily, so the table does not grow for ever', async () => {
    const { armHousekeeping } = await import('../../src/core/housekeeping.js');
    const d = await desk();
    await d.say('requester', '/ticket new Printer on fire', 'evt-old');
    await armHousekeeping(d.desk.core);
    await d.advance(8 * 24 * HOUR);
    const keys = await d.db.selectFrom('inbound_keys').select('key').execute();
    expect(keys.map((k) => k.key)).not.toContain('evt-old');
    expect(await d.db.selectFrom('timers').select('id').where('kind', '=', 'housekeeping').execute()).toHaveLength(1);
  });
});
