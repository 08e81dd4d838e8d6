import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callsTo, command, openTicket, POST_MESSAGE, press, textsIn, write, type OpenedTicket } from './interactions.js';
import { ann, gus, historyKinds, l1Desk, olga, requester, startDiscordDesk, support, ticketRow, APP, type DiscordDesk } from './support.js';

// The conversation. The requester talks in their private thread; agents read it in the thread under
// the card in their channel. What agents write there is an internal note and can never reach the
// requester; what an agent writes in the private thread is a public reply.

let t: DiscordDesk;
let ticket: OpenedTicket;
beforeEach(async () => {
  t = await startDiscordDesk();
  ticket = await openTicket(t);
});
afterEach(async () => {
  await t.close();
});

const START_THREAD = 'POST /channels/:channel/messages/:message/threads';
const privateThread = () => textsIn(t, ticket.thread.channel);
const cardThread = () => textsIn(t, ticket.card.id);

describe('the requester writes in their private thread', () => {
  it('reaches the agents in a thread started from the card message on first use', async () => {
    expect(t.discord.rest.calls(START_THREAD)).toEqual([]); // no thread before there is something to say

    await write(t, requester, ticket.thread.channel, 'It is still smoking');

    const [started] = t.discord.rest.calls(START_THREAD);
    expect(started).toMatchObject({ params: { channel: l1Desk.id, message: ticket.card.id }, body: { name: '🎫 #1 Printer on fire' } });
    expect(t.discord.world.channel(ticket.card.id)).toMatchObject({ type: 11, parent_id: l1Desk.id });
    expect(cardThread()).toEqual(['💬 rita (requester) on #1\nIt is still smoking']);
    expect(await historyKinds(t, 1)).toEqual(['opened', 'requester_message']);
  });

  it('several messages arrive in the order they were written, in the one card thread', async () => {
    for (const text of ['one', 'two', 'three']) await write(t, requester, ticket.thread.channel, text);

    expect(t.discord.rest.calls(START_THREAD)).toHaveLength(1);
    expect(cardThread()).toEqual(['one', 'two', 'three'].map((text) => `💬 rita (requester) on #1\n${text}`));
  });

  it('tierdesk does not answer the requester for a plain message (nothing to confirm, nothing posted back)', async () => {
    const sent = await write(t, requester, ticket.thread.channel, 'hello?');

    expect(sent.handled.reply).toBeUndefined();
    expect(privateThread()).toEqual([expect.stringContaining('🎫 Ticket #1'), 'hello?']);
  });
});

describe("an agent writes in the card's thread", () => {
  beforeEach(async () => {
    await write(t, requester, ticket.thread.channel, 'It is still smoking'); // the card thread now exists
  });

  it('is an internal note: shown to the agents as one, never in the private thread', async () => {
    const before = privateThread();

    const note = await write(t, ann, ticket.card.id, 'Between us: this printer is cursed');

    expect(note.handled.reply?.text).toBe('Internal note added to #1 (agents only).');
    expect(cardThread().at(-1)).toMatch(
      /^🔒 Internal note by Ann Agent on #1 \(not visible to the requester\)\nBetween us: this printer is cursed\n🔒 Internal note/,
    );
    expect(privateThread()).toEqual(before);
    expect(
      callsTo(t, POST_MESSAGE, ticket.thread.channel)
        .map((c) => JSON.stringify(c.body))
        .join(),
    ).not.toContain('cursed');
    expect(await historyKinds(t, 1)).toEqual(['opened', 'requester_message', 'note']);
  });

  it('a member with the L1 role writes a note too', async () => {
    await write(t, gus, ticket.card.id, 'cursed indeed');

    expect(cardThread().at(-1)).toMatch(/^🔒 Internal note by gus/);
    expect(privateThread().join()).not.toContain('cursed');
  });

  it('someone who is not an agent is told so, in reply, and nothing is recorded or relayed', async () => {
    const sent = await write(t, olga, ticket.card.id, 'What is going on?');

    expect(sent.handled.reply?.text).toBe("Only agents can write in a ticket's agent thread.");
    expect(sent.answer?.body).toMatchObject({ message_reference: { message_id: sent.message.id }, allowed_mentions: { parse: [] } });
    expect(await historyKinds(t, 1)).toEqual(['opened', 'requester_message']);
    expect(privateThread().join()).not.toContain('going on');
  });
});

describe('an agent writes straight in the private thread', () => {
  it('is a public reply: recorded as one, the first response, echoed to the agents', async () => {
    await press(t, ann, ticket.card, 'claim');

    await write(t, ann, ticket.thread.channel, 'I can see your thread: which tray?');

    expect(await historyKinds(t, 1)).toEqual(['opened', 'claimed', 'replied']);
    expect(await ticketRow(t, 1)).toMatchObject({ first_response_at: t.clock.now() });
    expect(cardThread()).toEqual(['↪ Ann Agent replied to the requester on #1\nI can see your thread: which tray?']);
  });

  // Regression (found by this suite, fixed): an agent's message in the private thread is acknowledged with a reaction, not a reply the requester reads.
  it('the agent-facing confirmation is not posted where the requester reads', async () => {
    await press(t, ann, ticket.card, 'claim');

    await write(t, ann, ticket.thread.channel, 'Which tray?');

    expect(privateThread().join('\n')).not.toContain('Reply sent to rita');
  });

  // Regression (found by this suite, fixed): any agent's message in the private thread is a recorded public reply.
  it('after escalation, an L1 agent still in the thread cannot talk to the requester off the record', async () => {
    await press(t, ann, ticket.card, 'claim');
    await command(t, ann, l1Desk.id, 'escalate', { number: 1, reason: 'Firmware' });

    const stillMember = t.discord.world.threadMembers.get(ticket.thread.channel)?.has(ann.id) ?? false;
    if (stillMember) await write(t, ann, ticket.thread.channel, 'Psst, try the other tray');

    expect(!stillMember || (await historyKinds(t, 1)).includes('replied')).toBe(true);
  });

  it('someone else in a private thread they manage (a moderator) who is not an agent cannot reply for tierdesk', async () => {
    // The guild owner can see every private thread; that does not make her an agent.
    const sent = await write(t, olga, ticket.thread.channel, 'Mods here, what is up?');

    expect(sent.handled.reply?.text).toMatch(/Ticket #1 is not yours/);
    expect(cardThread()).toEqual([]);
    expect(await historyKinds(t, 1)).toEqual(['opened']);
  });
});

describe('messages tierdesk is not part of', () => {
  it('top-level messages, agent channels, and bot messages are ignored; only ticket threads are read', async () => {
    const ignored = [
      await t.discord.gateway.messageCreate({ channelId: support.id, authorId: requester.id, content: 'hello?' }),
      await t.discord.gateway.messageCreate({ channelId: l1Desk.id, authorId: ann.id, content: 'lunch?' }),
      await t.discord.gateway.messageCreate({ channelId: ticket.thread.channel, authorId: APP, content: 'beep' }),
    ];
    // Messages are handled in the order they arrive: once this one is handled, the others were seen.
    await write(t, requester, ticket.thread.channel, 'still here');

    expect(ignored).toHaveLength(3);
    expect(t.inbound.map((h) => h.event.kind)).toEqual(['command', 'message']);
    expect(await historyKinds(t, 1)).toEqual(['opened', 'requester_message']);
  });

  it('a message that only mentions a ticket number elsewhere is not a ticket message', async () => {
    await command(t, requester, support.id, 'list');
    await t.discord.gateway.messageCreate({ channelId: support.id, authorId: requester.id, content: '#1 any news?' });
    await write(t, requester, ticket.thread.channel, 'sentinel');

    expect(cardThread()).toEqual(['💬 rita (requester) on #1\nsentinel']);
  });
});
