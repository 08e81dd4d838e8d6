import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  actWithText,
  buttonOn,
  callsTo,
  command,
  EDIT_MESSAGE,
  modalShown,
  POST_MESSAGE,
  press,
  pressForModal,
  sendCommand,
  submit,
  textsIn,
  ticketPlaces,
  write,
} from './interactions.js';
import { ann, bob, historyKinds, l1Desk, l2Desk, posted, requester, startDiscordDesk, support, ticketRow, type DiscordDesk } from './support.js';

// One ticket's whole life in Discord, with the real discord.js Client against the fake Discord:
// intake form → card + private thread → claim → both sides talk → escalate → resolve → confirm.

let t: DiscordDesk;
beforeEach(async () => {
  t = await startDiscordDesk();
});
afterEach(async () => {
  await t.close();
});

const THREAD_MEMBERS = 'PUT /channels/:channel/thread-members/:user';
const membersOf = (thread: string) => [...(t.discord.world.threadMembers.get(thread)?.keys() ?? [])];
const cardNow = (at: { channel: string; id: string }) => t.discord.world.message(at.channel, at.id);

describe('a ticket in Discord, end to end with the real discord.js Client', () => {
  it('goes from the intake form to closed, each side seeing what it should', async () => {
    // `/ticket new` without a title: the core answers with the intake form (callback type 9), and nothing changes.
    const asked = await sendCommand(t, requester, support.id, 'new');
    const intake = await modalShown(t, asked.payload);
    expect(intake).toMatchObject({ custom_id: 'tierdesk:form:ticket:sub=new', title: 'New ticket' });
    expect(t.inbound.map((h) => h.reply?.form?.kind)).toEqual(['ticket.new']);

    // Submitting it opens ticket #1, answered only to the requester.
    const opened = await submit(t, requester, support.id, intake, { title: 'Printer on fire', description: 'Smoke from tray 2', urgency: 'high' });
    expect(opened.text).toMatch(/^Ticket #1 opened \(P2, Help desk\)/);
    expect(opened.ephemeral).toBe(true);
    const ticket = await ticketPlaces(t, 1);

    // The card: an embed with the ticket and its buttons, in the L1 agents' channel.
    expect(ticket.card.channel).toBe(l1Desk.id);
    const card = cardNow(ticket.card);
    expect(card.embeds[0]).toMatchObject({ title: '🎫 #1 Printer on fire', description: 'Smoke from tray 2' });
    expect(buttonOn(card, 'claim')).toBe('tierdesk:claim:1');
    expect(['reply', 'escalate', 'resolve'].map((a) => buttonOn(card, a))).toEqual(['tierdesk:reply:1', 'tierdesk:escalate:1', 'tierdesk:resolve:1']);

    // The requester's private thread in the tickets channel, with them in it and the anchor message.
    const thread = t.discord.world.channel(ticket.thread.channel);
    expect(thread).toMatchObject({ type: 12, parent_id: support.id, name: '#1 Printer on fire' });
    expect(membersOf(thread.id)).toEqual([t.discord.ids.botUserId, requester.id]);
    expect(textsIn(t, thread.id)).toEqual([expect.stringContaining('🎫 Ticket #1: Printer on fire')]);

    // Claim: the card is edited in place and the agent joins the private thread.
    const claimed = await press(t, ann, ticket.card, 'claim');
    expect([claimed.text, claimed.ephemeral]).toEqual(['You have claimed #1.', true]);
    expect(callsTo(t, EDIT_MESSAGE, l1Desk.id).map((c) => c.params.message)).toEqual([ticket.card.id]);
    expect(cardNow(ticket.card).embeds[0]?.fields).toContainEqual(expect.objectContaining({ name: 'Assignee', value: 'Ann Agent' }));
    expect(membersOf(thread.id)).toContain(ann.id);
    expect(textsIn(t, thread.id).at(-1)).toBe('ℹ #1: Ann Agent is working on your ticket.');

    // The requester writes in their thread: relayed to a thread started from the card message.
    await write(t, requester, thread.id, 'It is still smoking');
    const [started] = t.discord.rest.calls('POST /channels/:channel/messages/:message/threads');
    expect(started?.params).toEqual({ channel: l1Desk.id, message: ticket.card.id });
    expect(textsIn(t, ticket.card.id)).toEqual([expect.stringMatching(/rita \(requester\) on #1\nIt is still smoking/)]);

    // An agent writes in the card's thread: an internal note, never in the private thread.
    const note = await write(t, ann, ticket.card.id, 'Between us: this printer is cursed');
    expect(note.handled.reply?.text).toMatch(/Internal note added to #1/);
    expect(textsIn(t, ticket.card.id)).toContainEqual(expect.stringMatching(/🔒 Internal note by Ann Agent on #1[^]*this printer is cursed/));
    expect(textsIn(t, thread.id).join('\n')).not.toContain('cursed');

    // The Reply button: a form, then a public reply in the private thread, echoed to the agents.
    const replyForm = await pressForModal(t, ann, ticket.card, 'reply');
    expect(replyForm).toMatchObject({ custom_id: 'tierdesk:form:ticket:sub=reply&number=1', title: 'Reply on #1' });
    await submit(t, ann, l1Desk.id, replyForm, { text: 'Have you tried turning it off?' });
    expect(textsIn(t, thread.id)).toContainEqual('💬 Ann Agent on #1\nHave you tried turning it off?');
    expect(textsIn(t, ticket.card.id)).toContainEqual(expect.stringContaining('↪ Ann Agent replied to the requester on #1'));

    // An agent writing straight in the private thread is a public reply too.
    await write(t, ann, thread.id, 'I can also see your thread');
    expect(textsIn(t, ticket.card.id)).toContainEqual('↪ Ann Agent replied to the requester on #1\nI can also see your thread');

    // Escalate: a form, a new card for L2, the L1 card says where it went, L2 joins the thread.
    await actWithText(t, ann, ticket.card, 'escalate', 'Needs a firmware fix');
    const l2 = await ticketPlaces(t, 1, 'L2');
    expect(l2.card.channel).toBe(l2Desk.id);
    expect(buttonOn(cardNow(l2.card), 'claim')).toBe('tierdesk:claim:1');
    expect(cardNow(ticket.card).embeds[0]?.description).toBe('⤴ Escalated from L1 to L2 Second level by Ann Agent: Needs a firmware fix');
    expect(cardNow(ticket.card).components).toEqual([]);
    expect(t.discord.rest.calls(THREAD_MEMBERS).map((c) => c.params.user)).toContain(bob.id);
    expect(textsIn(t, thread.id).at(-1)).toBe('ℹ #1: Your ticket has moved to Second level.');

    // L2 claims and resolves; the requester is told how, in their thread.
    await press(t, bob, l2.card, 'claim');
    await actWithText(t, bob, l2.card, 'resolve', 'Replaced the fuser');
    // The resolution, then the satisfaction survey, in the requester's thread.
    expect(textsIn(t, thread.id).at(-2)).toMatch(/^💬 Bob Backline on #1\nResolved: Replaced the fuser\nIf that fixed it, \/ticket confirm 1/);
    expect(textsIn(t, thread.id).at(-1)).toMatch(/^⭐ Rate #1: Printer on fire/);
    expect(buttonOn(cardNow(l2.card), 'reopen')).toBe('tierdesk:reopen:1');

    // The requester confirms from their thread: closed, both cards say so.
    const confirmed = await command(t, requester, thread.id, 'confirm', { number: 1 });
    expect([confirmed.text, confirmed.ephemeral]).toEqual(['Thanks! #1 is closed.', true]);
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'closed', tier: 'L2', assignee: 'bob', priority: 'P2' });
    expect(cardNow(l2.card).embeds[0]?.fields).toContainEqual(expect.objectContaining({ name: 'Status', value: 'closed' }));
    expect(cardNow({ channel: thread.id, id: ticket.thread.id }).embeds[0]?.description).toBe('This ticket is closed.');

    expect(await historyKinds(t, 1)).toEqual([
      'opened',
      'claimed',
      'requester_message',
      'note',
      'replied',
      'replied',
      'escalated',
      'claimed',
      'resolved',
      'closed',
    ]);
    expect(t.discord.rest.unhandled).toEqual([]);
    expect(await t.db.selectFrom('outbox').select('status').where('status', '!=', 'sent').execute()).toEqual([]);
    // Every message tierdesk created or edited says who may be pinged: nobody.
    const writes = [...t.discord.rest.calls(POST_MESSAGE), ...t.discord.rest.calls(EDIT_MESSAGE)];
    expect(writes.map((c) => (c.body as { allowed_mentions?: unknown }).allowed_mentions)).toEqual(writes.map(() => ({ parse: [] })));
    expect((await posted(t, 'ticket:1:requester')).channel).toBe(thread.id);
  });
});
