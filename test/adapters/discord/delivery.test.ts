import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallMatch } from '../../fakes/discord/index.js';
import { answerOf, callsTo, command, EDIT_MESSAGE, openTicket, POST_MESSAGE, sendCommand, shown } from './interactions.js';
import { ann, l1Desk, posted, requester, startDiscordDesk, support, type DiscordDesk } from './support.js';

// When Discord says slow down (429 + Retry-After), fails (5xx) or refuses (403, 404): the outbox
// retries on the core's clock, in order, once, or gives up and says so.
//
// discord.js keeps its rate-limit buckets on `Date.now()`: after a 429 it refuses further requests
// to that bucket by itself until the reset. So that "Discord's time" is the fake clock here too,
// Date is faked (only Date: timers and sockets stay real) and moved with the core's clock.

let t: DiscordDesk;
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2024-06-03T09:00:00Z') });
  t = await startDiscordDesk();
});
afterEach(async () => {
  await t.close();
  vi.useRealTimers();
});

/** Move the core's clock (and Discord's), and let the dispatcher deliver whatever has come due. */
async function after(ms: number) {
  t.clock.advance(ms);
  vi.setSystemTime(t.clock.now());
  await t.desk.dispatcher.drain();
}

const toL1: CallMatch = (c) => c.route === POST_MESSAGE && c.params.channel === l1Desk.id;
const l1Attempts = () => t.discord.rest.calls(toL1);
const l1Titles = () => t.discord.world.messagesIn(l1Desk.id).map((m) => m.embeds[0]?.title);

/** `/ticket new` by the requester; waits for the core, not for delivery (which may be failing). */
async function raise(title: string) {
  await command(t, requester, support.id, 'new', { title, urgency: 'high' });
  return (await posted(t, `ticket:${await lastTicket()}:requester`)).channel;
}
async function lastTicket() {
  const row = await t.db.selectFrom('tickets').select('number').orderBy('number', 'desc').executeTakeFirstOrThrow();
  return Number(row.number);
}

/** The requester writes in their private thread (delivered: only the agents' side is failing). */
async function requesterWrites(thread: string, content: string) {
  const message = await t.discord.gateway.messageCreate({ channelId: thread, authorId: requester.id, content });
  await t.handled(`discord:message:${message.id}`);
  await t.desk.dispatcher.drain();
}

describe('a 429 with Retry-After: 30 on the card', () => {
  it("delivers the card once the clock has passed 30 s, exactly once, with the ticket's messages after it in order", async () => {
    await openTicket(t, 'Warm up'); // discord.js now knows the channel's bucket, as in a running desk
    t.discord.rest.failNext(toL1, { status: 429, retryAfter: 30 });

    const thread = await raise('Printer on fire');
    await requesterWrites(thread, 'first');
    await requesterWrites(thread, 'second');
    expect(l1Attempts().map((c) => c.status)).toEqual([200, 429]);
    expect(t.discord.world.messagesIn(thread)).toHaveLength(3); // the requester's side is not held up

    await after(29_000);
    expect(l1Attempts()).toHaveLength(2);

    await after(1_000);
    expect(l1Attempts().map((c) => c.status)).toEqual([200, 429, 200]);
    const card = await posted(t, 'ticket:2:card:L1');
    expect(textsOf(card.message_id)).toEqual(['💬 rita (requester) on #2\nfirst', '💬 rita (requester) on #2\nsecond']);
    await after(60_000);
    expect(l1Attempts()).toHaveLength(3); // once: nothing is sent again later
    expect(l1Titles()).toEqual(['🎫 #1 Warm up', '🎫 #2 Printer on fire']);
  });

  it('the first request to a channel rate limited is retried after its Retry-After too', async () => {
    t.discord.rest.failNext(toL1, { status: 429, retryAfter: 30 });

    await raise('Printer on fire');
    await after(29_999);
    expect(l1Attempts().map((c) => c.status)).toEqual([429]);
    await after(1);

    expect(l1Attempts().map((c) => c.status)).toEqual([429, 200]);
  });

  it('a rate-limited card edit goes out after its Retry-After, once, with the newest state', async () => {
    const ticket = await openTicket(t, 'Printer on fire');
    t.discord.rest.failNext(EDIT_MESSAGE, { status: 429, retryAfter: 10 });

    await command(t, ann, l1Desk.id, 'claim', { number: 1 });
    await command(t, ann, l1Desk.id, 'priority', { number: 1, impact: 'high' });
    await after(9_000);
    expect(callsTo(t, EDIT_MESSAGE, l1Desk.id)).toEqual([]);
    await after(1_000);
    await after(60_000);

    const edits = callsTo(t, EDIT_MESSAGE, l1Desk.id);
    expect(edits.map((c) => c.params.message)).toEqual([ticket.card.id]);
    expect(shown(edits[0]!.body as object)).toContain('P1 (impact high, urgency high)');
  });
});

describe('rate limits are waits, not failures', () => {
  // Regression (found by this suite, fixed).
  it('a card rate limited twelve times in a row is still delivered', async () => {
    await openTicket(t, 'Warm up');
    t.discord.rest.failNext(toL1, { status: 429, retryAfter: 1 }, 12);

    await raise('Printer on fire');
    for (let i = 0; i < 60; i++) await after(60_000); // an hour: every backoff (at most 5 min) has passed

    expect(l1Titles()).toEqual(['🎫 #1 Warm up', '🎫 #2 Printer on fire']);
    expect(await t.db.selectFrom('outbox').select('last_error').where('status', '=', 'dead').execute()).toEqual([]);
  });

  // Regression (found by this suite, fixed): the retry instant is taken when the failure is seen (`clock.now()`).
  it('a Retry-After counts from when the 429 arrived, so the first retry gets through', async () => {
    await openTicket(t, 'Warm up');
    t.discord.rest.failNext(toL1, { status: 429, retryAfter: 30 });
    const held = t.discord.rest.holdNext(toL1);

    const { payload, record } = await sendCommand(t, requester, support.id, 'new', { title: 'Printer on fire' });
    await answerOf(t, payload, record);
    await held.arrived;
    t.clock.advance(200); // the 429 takes 200 ms to come back
    vi.setSystemTime(t.clock.now());
    held.release();
    await t.desk.dispatcher.drain();
    await after(29_800); // the pass began at T, the 429 came at T+200 ms: its 30 s end at T+30.2 s
    await after(200);

    expect(l1Attempts().map((c) => c.status)).toEqual([200, 429, 200]);
    expect(t.logger.lines.filter((l) => l.msg === 'rate limited; will retry')).toHaveLength(1);
  });
});

describe('other failures', () => {
  it('a 500 is retried with backoff and the card then delivered once', async () => {
    t.discord.rest.failNext(toL1, { status: 500 });

    await raise('Printer on fire');
    expect(l1Attempts().map((c) => c.status)).toEqual([500]);
    await after(1_000); // the first backoff is 1 s × (0.5 + jitter/2) = 750 ms here
    await after(60_000);

    expect(l1Attempts().map((c) => c.status)).toEqual([500, 200]);
    expect(t.logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'message delivery failed; will retry' }));
  });

  it.each([
    ['403 Missing Permissions', { status: 403, code: 50013, message: 'Missing Permissions' }, 'discord: 403 Missing Permissions'],
    ['404 Unknown Channel', { status: 404, code: 10003, message: 'Unknown Channel' }, 'discord: 404 Unknown Channel'],
  ])('a %s is given up at once (outbox row dead) and logged; other messages still flow', async (_what, fault, error) => {
    t.discord.rest.failNext(toL1, fault);

    const thread = await raise('Printer on fire');
    await raise('Monitor flickers');
    await after(60_000);

    const dead = await t.db.selectFrom('outbox').select(['message_key', 'status', 'last_error', 'attempts']).where('status', '=', 'dead').execute();
    expect(dead).toEqual([{ message_key: 'ticket:1:card:L1', status: 'dead', last_error: error, attempts: 1 }]);
    expect(t.logger.lines).toContainEqual(expect.objectContaining({ level: 'error', msg: 'gave up delivering a message' }));
    expect(l1Titles()).toEqual(['🎫 #2 Monitor flickers']);
    expect(t.discord.world.messagesIn(thread).map((m) => m.embeds[0]?.title)).toEqual(['🎫 Ticket #1: Printer on fire']); // the requester still heard back
  });

  it('a private thread that cannot be created is given up; the agents still get the card', async () => {
    t.discord.rest.failNext('POST /channels/:channel/threads', { status: 403, code: 50001, message: 'Missing Access' });

    await command(t, requester, support.id, 'new', { title: 'Printer on fire' });
    await after(60_000);

    expect(await t.db.selectFrom('outbox').select(['message_key', 'last_error']).where('status', '=', 'dead').execute()).toEqual([
      { message_key: 'ticket:1:requester', last_error: 'discord: 403 Missing Access' },
    ]);
    expect(l1Titles()).toEqual(['🎫 #1 Printer on fire']);
  });
});

function textsOf(channel: string): string[] {
  return t.discord.world.messagesIn(channel).map(shown);
}
