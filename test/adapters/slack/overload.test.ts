import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUSY_REPLY, QUEUED_REPLY } from '../../../src/intake-port.js';
import { countQueuedInbound } from '../../../src/store/inbound-queue.js';
import { createDesk } from '../../../src/core/desk.js';
import { pressButton } from './interactions.js';
import { ANN, EMPLOYEE, L1_DESK, callsTo, openTicket, startSlackDesk, ticketCount, ticketRow, type SlackDesk } from './support.js';

// Under overload every slash command and button is still acknowledged at once: queued (stored, run
// afterwards, answered through its response_url) or refused (nothing changed). The overload state is
// forced here; what measures it (event-loop delay, requests in flight) is the bench's business.

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk();
});
afterEach(async () => {
  await t.close();
});

const NEW_TICKET = { command: '/ticket', text: 'new Printer on fire', user_id: EMPLOYEE, channel_id: 'C0RANDOM' };

async function inboundKeys(): Promise<number> {
  const row = await t.db
    .selectFrom('inbound_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The queue's turn comes: load is back to normal and the acknowledgement has had its time. */
async function loadFalls(): Promise<number> {
  t.desk.intake.force(undefined);
  t.clock.advance(3_000);
  return t.desk.intake.drain();
}

describe('a slash command while tierdesk is overloaded', () => {
  it('is acknowledged as queued, then runs exactly once and is answered through its response_url', async () => {
    t.desk.intake.force('queue');

    const sent = await t.sender.slashCommand(NEW_TICKET);

    expect(sent.json).toEqual({ response_type: 'ephemeral', text: QUEUED_REPLY });
    expect(await ticketCount(t)).toBe(0);
    expect(await countQueuedInbound(t.db)).toBe(1);

    expect(await loadFalls()).toBe(1);
    const answer = await t.slack.web.waitForResponse(sent.responseUrl);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^Ticket #1 opened/) });
    expect(await ticketRow(t, 1)).toMatchObject({ title: 'Printer on fire', requester_id: EMPLOYEE });
    await t.desk.dispatcher.drain();
    expect(callsTo(t, 'chat.postMessage', L1_DESK)).toHaveLength(1);

    // Once: a second pass finds nothing, and the queue is empty.
    expect(await t.desk.intake.drain()).toBe(0);
    expect(await ticketCount(t)).toBe(1);
    expect(await countQueuedInbound(t.db)).toBe(0);
    expect(t.slack.web.responses(sent.responseUrl)).toHaveLength(1);
  });

  it('waits while the overload lasts, and runs once the load allows: its acknowledgement is already out', async () => {
    t.desk.intake.force('queue');
    await t.sender.slashCommand(NEW_TICKET);

    expect(await t.desk.intake.drain()).toBe(0);
    expect(await ticketCount(t)).toBe(0);
    t.desk.intake.force(undefined);
    expect(await t.desk.intake.drain()).toBe(1);
    expect(await ticketCount(t)).toBe(1);
  });

  it('a newcomer does not overtake those queued: while any waits here, the next is queued too', async () => {
    t.desk.intake.force('queue');
    await t.sender.slashCommand(NEW_TICKET);
    t.desk.intake.force(undefined);

    const second = await t.sender.slashCommand({ ...NEW_TICKET, text: 'new Monitor flickers' });

    expect(second.json).toEqual({ response_type: 'ephemeral', text: QUEUED_REPLY });
    // Its acknowledgement woke the queue: both run, in the order they came.
    await t.desk.intake.drain();
    await t.slack.web.waitForResponse(second.responseUrl);
    expect((await ticketRow(t, 1)).title).toBe('Printer on fire');
    expect((await ticketRow(t, 2)).title).toBe('Monitor flickers');
  });

  it("one whose acknowledgement is not known to be out (another replica's, one queued before a restart) waits 3 s", async () => {
    const event = { kind: 'command' as const, name: 'ticket', text: 'new Printer on fire', key: 'slack:T:command:elsewhere', at: t.clock.now() };
    const from = { platform: 'slack' as const, space: 'T0TEAM', id: EMPLOYEE, name: 'emp' };
    await t.desk.intake.enqueue(
      { ...event, from, place: { platform: 'slack', space: 'T0TEAM', channel: 'C0RANDOM' } },
      JSON.stringify({ responseUrl: 'http://127.0.0.1:1/unused' }),
    );

    expect(await t.desk.intake.drain()).toBe(0);
    t.clock.advance(3_000);
    expect(await t.desk.intake.drain()).toBe(1);
    expect(await ticketCount(t)).toBe(1);
  });

  it('is acknowledged without asking Slack who the person is, and runs as who Slack says they are', async () => {
    await t.close();
    t = await startSlackDesk({ users: [{ id: 'U0NEW', name: 'newbie', real_name: 'Nadia New', tz: 'Asia/Tokyo' }] });
    t.desk.intake.force('queue');
    const infoBefore = t.slack.web.calls().filter((c) => c.method === 'users.info').length;

    await t.sender.slashCommand({ ...NEW_TICKET, user_id: 'U0NEW', user_name: 'handle-only' });

    expect(t.slack.web.calls().filter((c) => c.method === 'users.info')).toHaveLength(infoBefore);
    t.desk.intake.force(undefined);
    expect(await t.desk.intake.drain()).toBe(1);
    expect(await ticketRow(t, 1)).toMatchObject({ requester_id: 'U0NEW', requester_name: 'newbie', requester_zone: 'Asia/Tokyo' });
  });

  it('refused for load: says so and changes nothing; the same person trying again later gets the ticket', async () => {
    t.desk.intake.force('refuse');

    const sent = await t.sender.slashCommand(NEW_TICKET);

    expect(sent.json).toEqual({ response_type: 'ephemeral', text: BUSY_REPLY });
    expect(await ticketCount(t)).toBe(0);
    expect(await countQueuedInbound(t.db)).toBe(0);
    expect(await inboundKeys()).toBe(0);
    expect(await loadFalls()).toBe(0);
    expect(t.slack.web.responses(sent.responseUrl)).toHaveLength(0);

    const again = await t.sender.slashCommand(NEW_TICKET);
    expect(again.json).toEqual({ response_type: 'ephemeral', text: expect.stringMatching(/^Ticket #1 opened/) });
  });
});

describe('a card button while tierdesk is overloaded', () => {
  it('queued: "queued" through the response_url at once, the claim done once afterwards', async () => {
    const ticket = await openTicket(t, 'Printer on fire');
    t.desk.intake.force('queue');

    const pressed = await pressButton(t, ANN, ticket.card, 'claim');

    const interim = await t.slack.web.waitForResponse(pressed.responseUrl);
    expect(interim.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: QUEUED_REPLY });
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'open', assignee: null });

    expect(await loadFalls()).toBe(1);
    const answer = await t.slack.web.waitForResponse(pressed.responseUrl, (r) => r.body !== interim.body);
    expect(answer.body).toMatchObject({ text: 'You have claimed #1.' });
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'claimed', assignee: 'ann' });
    expect(await t.desk.intake.drain()).toBe(0);
    expect(t.slack.web.responses(pressed.responseUrl)).toHaveLength(2);
  });

  it('refused: says so, and the ticket is left as it was', async () => {
    const ticket = await openTicket(t, 'Printer on fire');
    t.desk.intake.force('refuse');

    const pressed = await pressButton(t, ANN, ticket.card, 'claim');

    const answer = await t.slack.web.waitForResponse(pressed.responseUrl);
    expect(answer.body).toMatchObject({ text: BUSY_REPLY });
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'open', assignee: null });
    expect(await countQueuedInbound(t.db)).toBe(0);
  });
});

describe('the queue itself', () => {
  it('refuses new requests only while full, and a full queue still drains once the load allows', async () => {
    const full = await startSlackDesk({ admission: { maxQueued: 1 } });
    try {
      full.desk.intake.force('queue');
      const first = await full.sender.slashCommand(NEW_TICKET);
      expect(first.json).toEqual({ response_type: 'ephemeral', text: QUEUED_REPLY });
      full.desk.intake.force(undefined);
      // Full: refused, nothing changed.
      const refused = await full.sender.slashCommand({ ...NEW_TICKET, text: 'new Second printer' });
      expect(refused.json).toEqual({ response_type: 'ephemeral', text: BUSY_REPLY });
      expect(await countQueuedInbound(full.db)).toBe(1);
      // Load is normal: the queued one runs (a full queue is what draining empties), then requests run again.
      // (The queue's own loop may take it first: the answer through its response_url says it ran.)
      full.clock.advance(3_000);
      await full.desk.intake.drain();
      await full.slack.web.waitForResponse(first.responseUrl);
      expect(await countQueuedInbound(full.db)).toBe(0);
      expect((await full.sender.slashCommand({ ...NEW_TICKET, text: 'new Third printer' })).json).toMatchObject({
        text: expect.stringMatching(/^Ticket #2 opened/),
      });
    } finally {
      await full.close();
    }
  });

  it('is run only where its answer can be given: a deliverer without the platform leaves it queued', async () => {
    t.desk.intake.force('queue');
    await t.sender.slashCommand(NEW_TICKET);
    const deliverer = createDesk({ db: t.db, config: t.desk.core.config, clock: t.clock, logger: t.logger, adapters: [], deliveryOnly: true });
    await deliverer.start();
    try {
      t.clock.advance(3_000);
      expect(await deliverer.intake.drain()).toBe(0);
      expect(await countQueuedInbound(t.db)).toBe(1);
      t.desk.intake.force(undefined);
      expect(await t.desk.intake.drain()).toBe(1);
    } finally {
      await deliverer.stop();
    }
  });
});
