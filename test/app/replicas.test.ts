import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DIALECT, durableTestDatabase, type DurableTestDatabase } from '../support/database.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

// Two tierdesk replicas (two desks, two connections) delivering from one PostgreSQL database: each
// message goes out once, and a ticket's messages keep their order. (SQLite is the single-process
// embedded store: two writers in one thread would only wait on each other.)
const opened: TestDesk[] = [];
const stores: DurableTestDatabase[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close().catch(() => undefined);
  for (const store of stores.splice(0)) await store.remove();
});

describe('two dispatchers on one database', () => {
  it.skipIf(TEST_DIALECT === 'sqlite')('deliver every message exactly once, in order per conversation', async () => {
    const store = durableTestDatabase();
    stores.push(store);
    const a = await createTestDesk({ db: await store.open() });
    opened.push(a);
    const b = await createTestDesk({ db: await store.open() });
    opened.push(b);
    // Commit work without delivering it: 60 tickets, each with a card, an anchor and two replies.
    for (let i = 1; i <= 60; i++) {
      const from = { platform: 'console' as const, space: 'local', id: `user${i}`, name: `user${i}` };
      const place = { platform: 'console' as const, space: 'local', channel: 'console' };
      await a.desk.handle({ kind: 'command', name: 'ticket', text: `new Ticket ${i}`, key: `open-${i}`, at: a.clock.now(), from, place });
      for (const n of [1, 2])
        await a.desk.handle({ kind: 'message', ticket: i, text: `message ${n}`, key: `msg-${i}-${n}`, at: a.clock.now(), from, place });
    }
    const total = Number(
      (
        await a.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    // One global order of posts across both replicas, to check order per conversation.
    const order: string[] = [];
    for (const d of [a, b]) {
      const post = d.adapter.post.bind(d.adapter);
      d.adapter.post = async (place, card) => {
        order.push(`${place.channel}|${card.fallback}`);
        return post(place, card);
      };
    }
    await Promise.all([a.desk.dispatcher.drain(), b.desk.dispatcher.drain(), a.desk.dispatcher.drain(), b.desk.dispatcher.drain()]);
    await a.desk.dispatcher.drain();
    const delivered = [...a.adapter.messages, ...b.adapter.messages];
    expect(delivered).toHaveLength(total);
    expect(a.adapter.messages.length).toBeGreaterThan(0);
    expect(b.adapter.messages.length).toBeGreaterThan(0);
    const pending = await a.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
    expect(pending).toEqual([]);
    for (let i = 1; i <= 60; i++) {
      const mine = order.filter((o) => o.startsWith(`l1-desk|`) && o.includes(`on #${i}\n`));
      expect(mine.map((o) => /message (\d)/.exec(o)?.[1])).toEqual(['1', '2']);
    }
  });
});
