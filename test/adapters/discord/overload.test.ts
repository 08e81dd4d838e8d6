import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUSY_REPLY, QUEUED_REPLY } from '../../../src/intake-port.js';
import { countQueuedInbound } from '../../../src/store/inbound-queue.js';
import { CALLBACK, EDIT_REPLY, POST_MESSAGE, callsTo, command, sendCommand, sendPress } from './interactions.js';
import { ann, l1Desk, requester, startDiscordDesk, support, ticketCount, ticketRow, type DiscordDesk } from './support.js';

// Under overload every interaction is still answered at once: queued (stored, run afterwards, its
// answer put in place of the "queued" reply through the interaction's webhook) or refused (nothing
// changed). The overload state is forced here.

let t: DiscordDesk;
beforeEach(async () => {
  t = await startDiscordDesk();
});
afterEach(async () => {
  await t.close();
});

/** The interaction's first answer: its callback type and what it said. */
async function firstAnswer(id: string, record: { original?: unknown }) {
  const callback = await t.discord.rest.waitForCall(CALLBACK, (c) => c.params.interaction === id && c.status === 204);
  const original = record.original as { content?: string; flags?: number } | undefined;
  return { type: Number((callback.body as { type: number }).type), content: original?.content, flags: original?.flags ?? 0 };
}

/** The queue's turn comes: load is back to normal and the acknowledgement has had its time. */
async function loadFalls(): Promise<void> {
  t.desk.intake.force(undefined);
  t.clock.advance(3_000);
  await t.desk.intake.drain();
}

describe('/ticket new while tierdesk is overloaded', () => {
  it('is answered "queued" at once, then runs exactly once and its answer replaces the interim one', async () => {
    t.desk.intake.force('queue');

    const { payload, record } = await sendCommand(t, requester, support.id, 'new', { title: 'VPN drops every hour', urgency: 'high' });

    expect(await firstAnswer(payload.id, record)).toEqual({ type: 4, content: QUEUED_REPLY, flags: 64 });
    expect(await ticketCount(t)).toBe(0);
    expect(await countQueuedInbound(t.db)).toBe(1);

    await loadFalls();
    await t.discord.rest.waitForCall(EDIT_REPLY, (c) => c.params.token === payload.token && c.params.message === '@original');
    expect((record.original as { content: string }).content).toMatch(/^Ticket #1 opened/);
    expect(await ticketRow(t, 1)).toMatchObject({ title: 'VPN drops every hour', urgency: 'high', requester_id: requester.id });
    await t.desk.dispatcher.drain();
    expect(callsTo(t, POST_MESSAGE, l1Desk.id)).toHaveLength(1);

    await t.desk.intake.drain();
    expect(await ticketCount(t)).toBe(1);
    expect(await countQueuedInbound(t.db)).toBe(0);
    expect(t.discord.rest.calls(EDIT_REPLY).filter((c) => c.params.token === payload.token)).toHaveLength(1);
  });

  it('refused for load: says so, changes nothing, and is not run afterwards', async () => {
    t.desk.intake.force('refuse');

    const { payload, record } = await sendCommand(t, requester, support.id, 'new', { title: 'VPN drops every hour' });

    expect(await firstAnswer(payload.id, record)).toEqual({ type: 4, content: BUSY_REPLY, flags: 64 });
    await loadFalls();
    expect(await ticketCount(t)).toBe(0);
    expect(await countQueuedInbound(t.db)).toBe(0);
    expect(t.discord.rest.calls(EDIT_REPLY)).toHaveLength(0);
  });
});

describe('a card button while tierdesk is overloaded', () => {
  it('queued: the claim is done once afterwards and answered in place of "queued"', async () => {
    await command(t, requester, support.id, 'new', { title: 'VPN drops every hour' });
    const card = callsTo(t, POST_MESSAGE, l1Desk.id)[0]!;
    const cardId = String((card.response as { id: string }).id);
    t.desk.intake.force('queue');

    const { payload, record } = await sendPress(t, ann, { channel: l1Desk.id, id: cardId }, 'claim');

    expect(await firstAnswer(payload.id, record)).toMatchObject({ type: 4, content: QUEUED_REPLY });
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'open' });
    await loadFalls();
    await t.discord.rest.waitForCall(EDIT_REPLY, (c) => c.params.token === payload.token);
    expect((record.original as { content: string }).content).toMatch(/claimed #1/);
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'claimed' });
  });
});
