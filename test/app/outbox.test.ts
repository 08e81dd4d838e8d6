import { afterEach, describe, expect, it } from 'vitest';
import { PermanentDeliveryError, RateLimitedError } from '../../src/ports.js';
import { durableTestDatabase, type DurableTestDatabase } from '../support/database.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

const opened: TestDesk[] = [];
const stores: DurableTestDatabase[] = [];
async function desk(options: Parameters<typeof createTestDesk>[0] = {}) {
  const d = await createTestDesk(options);
  opened.push(d);
  return d;
}
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close().catch(() => undefined);
  for (const store of stores.splice(0)) await store.remove();
});

async function pending(d: TestDesk) {
  return d.db.selectFrom('outbox').selectAll().where('status', '=', 'pending').orderBy('id').execute();
}

describe('the transactional outbox', () => {
  it('keeps a message the platform refused and retries it with backoff until it goes out', async () => {
    const d = await desk();
    d.adapter.failuresIn.set('l1-desk', [new Error('502 bad gateway')]);
    expect(await d.say('requester', '/ticket new Printer on fire')).toMatch(/#1 opened/);
    expect(d.channel('l1-desk')).toEqual([]); // the agent card failed...
    expect(d.dm('requester')).toHaveLength(1); // ...which holds up no other conversation
    const [row] = await pending(d);
    expect(row?.attempts).toBe(1);
    expect(row?.last_error).toBe('502 bad gateway');
    // Backoff: 1 s × jitter (fixed at 0.75 here) after the first failure, then 2 s × 0.75.
    await d.advance(749);
    expect(d.channel('l1-desk')).toEqual([]);
    d.adapter.failuresIn.set('l1-desk', [new Error('502 bad gateway')]);
    await d.advance(1);
    expect(d.channel('l1-desk')).toEqual([]); // second failure
    await d.advance(1499);
    expect(d.channel('l1-desk')).toEqual([]);
    await d.advance(1);
    expect(d.channel('l1-desk')).toHaveLength(1);
    expect(await pending(d)).toEqual([]);
  });

  it('obeys Retry-After on a 429', async () => {
    const d = await desk();
    d.adapter.failuresIn.set('l1-desk', [new RateLimitedError(30_000)]);
    await d.say('requester', '/ticket new Printer on fire');
    await d.advance(29_999);
    expect(d.channel('l1-desk')).toEqual([]);
    await d.advance(1);
    expect(d.channel('l1-desk')).toHaveLength(1);
  });

  it('delivers in order per conversation: nothing overtakes a message waiting for a retry', async () => {
    const d = await desk();
    await d.say('requester', '/ticket new Printer on fire');
    d.adapter.failuresIn.set('dm:requester', [new Error('timeout')]);
    await d.say('agent1', '#1 first');
    await d.say('agent1', '#1 second');
    await d.say('agent1', '#1 third');
    await d.advance(60_000);
    const dm = d.dm('requester').filter((m) => /first|second|third/.test(m));
    expect(dm.map((m) => /(first|second|third)/.exec(m)?.[1])).toEqual(['first', 'second', 'third']);
  });

  it('stores the platform message id so later edits change the card in place', async () => {
    const d = await desk();
    await d.say('requester', '/ticket new Printer on fire');
    await d.say('agent1', '/ticket claim 1');
    await d.say('agent1', '/ticket wait 1');
    const cards = d.adapter.messages.filter((m) => m.place.channel === 'l1-desk' && !m.place.thread);
    expect(cards).toHaveLength(1);
    expect(cards[0]!.versions.map((v) => /Status: ([a-z ]+?)(?: ·|$)/m.exec(v.fallback)?.[1])).toEqual([
      'open',
      'claimed',
      'waiting on the requester',
    ]);
    const stored = await d.db.selectFrom('messages').selectAll().where('key', '=', 'ticket:1:card:L1').executeTakeFirstOrThrow();
    expect(stored.message_id).toBe(cards[0]!.id);
  });

  it('sends only the newest of several pending edits of one card', async () => {
    const d = await desk();
    await d.say('requester', '/ticket new Printer on fire');
    d.adapter.failuresIn.set('l1-desk', [new RateLimitedError(10_000)]);
    await d.say('agent1', '/ticket claim 1'); // the card edit is refused...
    await d.say('agent1', '/ticket wait 1'); // ...and superseded by this one
    await d.advance(10_000);
    const card = d.adapter.messages.find((m) => m.place.channel === 'l1-desk' && !m.place.thread)!;
    expect(card.versions.map((v) => /Status: ([a-z ]+?)(?: ·|$)/m.exec(v.fallback)?.[1])).toEqual(['open', 'waiting on the requester']);
  });

  it('gives up on a permanent failure and logs it, without blocking other conversations', async () => {
    const d = await desk();
    d.adapter.failuresIn.set('l1-desk', [new PermanentDeliveryError('channel_not_found')]);
    await d.say('requester', '/ticket new Printer on fire');
    const dead = await d.db.selectFrom('outbox').selectAll().where('status', '=', 'dead').execute();
    expect(dead).toHaveLength(1);
    expect(d.logger.lines.some((l) => l.level === 'error' && l.msg === 'gave up delivering a message')).toBe(true);
    expect(d.dm('requester')).toHaveLength(1);
  });

  it('delivers on the next start what was committed but not sent before a crash', async () => {
    const store = durableTestDatabase();
    stores.push(store);
    const first = await desk({ db: await store.open() });
    first.adapter.failuresIn.set('l1-desk', [new Error('down')]);
    await first.say('requester', '/ticket new Printer on fire');
    expect(first.channel('l1-desk')).toEqual([]);
    await first.close(); // "crash": the process is gone with the card unsent

    const second = await desk({ db: await store.open() });
    await second.advance(5_000);
    expect(second.channel('l1-desk')).toHaveLength(1);
    expect(second.channel('l1-desk')[0]).toContain('#1 Printer on fire');
    expect(await second.say('requester', '/ticket new Another')).toMatch(/#2 opened/);
  });
});

describe('durable timers', () => {
  it('survive a restart: a resolved ticket still closes when its window ends', async () => {
    const store = durableTestDatabase();
    stores.push(store);
    const first = await desk({ db: await store.open() });
    await first.say('requester', '/ticket new Printer on fire');
    await first.say('agent1', '/ticket resolve 1 fixed');
    await first.close();

    const second = await desk({ db: await store.open(), now: '2024-06-10T09:00:01Z' });
    expect(await second.advance(0)).toBe(1);
    expect(await second.say('agent1', '/ticket show 1')).toContain('Status: closed');
  });

  it('fire once even when two schedulers tick at the same time', async () => {
    const d = await desk();
    await d.say('requester', '/ticket new Printer on fire');
    await d.say('agent1', '/ticket resolve 1 fixed');
    d.clock.advance(8 * 86_400_000);
    const [a, b] = await Promise.all([d.desk.scheduler.tick(), d.desk.scheduler.tick()]);
    expect(a + b).toBe(1);
  });
});
