import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  actWithText,
  buttonOn,
  callsTo,
  EDIT_MESSAGE,
  inputsOf,
  openTicket,
  POST_MESSAGE,
  press,
  pressForModal,
  submit,
  textsIn,
  ticketPlaces,
  write,
  type OpenedTicket,
} from './interactions.js';
import { ann, bob, gus, historyKinds, l1Desk, l2Desk, olga, requester, startDiscordDesk, ticketRow, type DiscordDesk } from './support.js';

// The buttons on the agents' card (claim, reply, wait, escalate, resolve, reopen) and who may press them.

let t: DiscordDesk;
let ticket: OpenedTicket;
beforeEach(async () => {
  t = await startDiscordDesk();
  ticket = await openTicket(t);
});
afterEach(async () => {
  await t.close();
});

const cardNow = (at = ticket.card) => t.discord.world.message(at.channel, at.id);
const fieldOf = (name: string, at = ticket.card) => cardNow(at).embeds[0]?.fields?.find((f) => f.name === name)?.value;
const membersOfThread = () => [...(t.discord.world.threadMembers.get(ticket.thread.channel)?.keys() ?? [])];

describe('the claim button', () => {
  it('by an agent: the card is edited in place, the agent answered privately and let into the private thread', async () => {
    const answer = await press(t, ann, ticket.card, 'claim');

    expect([answer.text, answer.ephemeral]).toEqual(['You have claimed #1.', true]);
    expect(callsTo(t, EDIT_MESSAGE, l1Desk.id).map((c) => c.params.message)).toEqual([ticket.card.id]);
    expect(callsTo(t, POST_MESSAGE, l1Desk.id)).toHaveLength(1); // no second card
    expect([fieldOf('Status'), fieldOf('Assignee')]).toEqual(['claimed', 'Ann Agent']);
    expect(buttonOn(cardNow(), 'claim')).toBe('tierdesk:claim:1 --force'); // now "Take over"
    expect(membersOfThread()).toContain(ann.id);
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'claimed', assignee: 'ann' });
  });

  it('by someone who is not an agent: refused ephemerally, card, thread and ticket unchanged', async () => {
    const before = structuredClone(cardNow());

    const answer = await press(t, olga, ticket.card, 'claim');

    expect(answer.text).toBe('Only Help desk (L1) agents can claim ticket #1, and you are not one of them.');
    expect(answer.ephemeral).toBe(true);
    expect(t.discord.rest.calls(EDIT_MESSAGE)).toEqual([]);
    expect(cardNow()).toEqual(before);
    expect(membersOfThread()).not.toContain(olga.id);
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'open', assignee: null });
  });

  it('by a member with the L1 role who is not in people: an agent of L1, named on the card', async () => {
    const answer = await press(t, gus, ticket.card, 'claim');

    expect(answer.text).toBe('You have claimed #1.');
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'claimed', assignee: `discord:${gus.id}`, assignee_name: 'gus' });
    expect(fieldOf('Assignee')).toBe('gus');
    expect(membersOfThread()).toContain(gus.id);
  });

  it('by an L2 agent on an L1 ticket: refused (people and roles are per tier)', async () => {
    const answer = await press(t, bob, ticket.card, 'claim');

    expect(answer.text).toMatch(/^Only Help desk \(L1\) agents can claim ticket #1/);
    expect(membersOfThread()).not.toContain(bob.id);
  });

  it('"Take over" moves a claimed ticket to the agent who pressed it, and says from whom', async () => {
    await press(t, gus, ticket.card, 'claim');

    const answer = await press(t, ann, ticket.card, 'claim');

    expect(answer.text).toBe('You have claimed #1 (taken over from gus).');
    expect(fieldOf('Assignee')).toBe('Ann Agent');
  });
});

describe('the buttons that need words show a form first', () => {
  it("reply: a one-field form, then a public reply in the private thread, echoed in the card's thread", async () => {
    const form = await pressForModal(t, ann, ticket.card, 'reply');
    // The core heard the press, checked Ann may reply, and answered with its form: nothing changed yet.
    expect(form).toMatchObject({ custom_id: 'tierdesk:form:ticket:sub=reply&number=1', title: 'Reply on #1' });
    expect(inputsOf(form).get('text')).toMatchObject({ required: true, style: 2, max_length: 4000 });
    expect(t.inbound.map((h) => h.event.kind)).toEqual(['command', 'action']); // the /ticket new, then the press
    expect(await historyKinds(t, 1)).toEqual(['opened']);

    const answer = await submit(t, ann, l1Desk.id, form, { text: 'Have you tried turning it off?' });

    expect(answer.text).toBe('Reply sent to rita on #1.');
    expect(textsIn(t, ticket.thread.channel).at(-1)).toBe('💬 Ann Agent on #1\nHave you tried turning it off?');
    expect(textsIn(t, ticket.card.id)).toEqual(['↪ Ann Agent replied to the requester on #1\nHave you tried turning it off?']);
    expect(await ticketRow(t, 1)).toMatchObject({ first_response_at: t.clock.now() });
  });

  it('Reply pressed by a non-agent: refused at once, ephemerally, with the reason; no form opens, nothing reaches the requester', async () => {
    const before = textsIn(t, ticket.thread.channel);

    const answer = await press(t, olga, ticket.card, 'reply');

    expect(answer.type).toBe(4); // a message, not a modal (9)
    expect(answer.text).toMatch(/^Only agents can reply on tickets/);
    expect(answer.ephemeral).toBe(true);
    expect(textsIn(t, ticket.thread.channel)).toEqual(before);
  });

  it('Resolve pressed by a non-agent: refused at once, no modal; an agent of the tier gets the modal and resolves', async () => {
    await press(t, ann, ticket.card, 'claim');

    const refused = await press(t, requester, ticket.card, 'resolve');
    expect(refused).toMatchObject({ type: 4, ephemeral: true });
    expect(refused.text).toMatch(/Only Help desk \(L1\) agents can resolve ticket #1/);
    const callbacks = t.discord.rest.calls('POST /interactions/:interaction/:token/callback').map((c) => (c.body as { type: number }).type);
    expect(callbacks).not.toContain(9);

    const form = await pressForModal(t, ann, ticket.card, 'resolve');
    expect([...inputsOf(form).keys()]).toEqual(['resolution']);
    await submit(t, ann, l1Desk.id, form, { resolution: 'Replaced the fuser --force' });
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'resolved', resolution: 'Replaced the fuser --force' });
  });

  it('escalate: a new card in the L2 channel, the L1 card edited to say where it went, L2 let into the thread', async () => {
    const answer = await actWithText(t, ann, ticket.card, 'escalate', 'Needs a firmware fix');

    expect(answer.text).toBe('#1 escalated from L1 to L2 Second level.');
    const l2 = await ticketPlaces(t, 1, 'L2');
    expect(l2.card.channel).toBe(l2Desk.id);
    expect(cardNow(l2.card).embeds[0]?.title).toBe('🎫 #1 Printer on fire');
    expect(textsIn(t, l2.card.id)).toEqual([expect.stringMatching(/Internal note by Ann Agent[^]*Escalated from L1: Needs a firmware fix/)]);
    expect(cardNow().embeds[0]?.description).toBe('⤴ Escalated from L1 to L2 Second level by Ann Agent: Needs a firmware fix');
    expect(cardNow().components).toEqual([]); // nothing left to do on the L1 card
    expect(membersOfThread()).toContain(bob.id);
    expect(await ticketRow(t, 1)).toMatchObject({ tier: 'L2', status: 'open', assignee: null });
  });

  it('resolve: the card shows the resolution and offers Reopen; the requester is told how in their thread', async () => {
    await press(t, ann, ticket.card, 'claim');

    await actWithText(t, ann, ticket.card, 'resolve', 'Replaced the fuser');

    expect(await ticketRow(t, 1)).toMatchObject({ status: 'resolved', resolution: 'Replaced the fuser' });
    expect(cardNow().embeds[0]?.description).toContain('Resolved: Replaced the fuser');
    expect(buttonOn(cardNow(), 'reopen')).toBe('tierdesk:reopen:1');
    // The resolution, then (since satisfaction surveys) the request to rate it.
    expect(textsIn(t, ticket.thread.channel)).toContainEqual(expect.stringMatching(/^💬 Ann Agent on #1\nResolved: Replaced the fuser/));
  });
});

describe('the other buttons', () => {
  it('waiting on the requester, then their answer in the thread puts the ticket back to work', async () => {
    await press(t, ann, ticket.card, 'claim');
    await press(t, ann, ticket.card, 'wait');
    expect(fieldOf('Status')).toBe('waiting on the requester');

    await write(t, requester, ticket.thread.channel, 'An HP LaserJet 4000');

    expect(await ticketRow(t, 1)).toMatchObject({ status: 'claimed' });
    expect(fieldOf('Status')).toBe('claimed');
  });

  it('reopen on a resolved card, by an agent of its tier', async () => {
    await press(t, ann, ticket.card, 'claim');
    await actWithText(t, ann, ticket.card, 'resolve', 'Replaced the fuser');

    const answer = await press(t, ann, ticket.card, 'reopen');

    expect(answer.text).toBe('#1 is open again.');
    expect(await historyKinds(t, 1)).toEqual(['opened', 'claimed', 'resolved', 'reopened']);
    expect(textsIn(t, ticket.thread.channel).at(-1)).toBe('ℹ #1: Ann Agent reopened your ticket.');
  });

  it('a button on a card whose ticket moved on answers with the refusal, not a crash', async () => {
    await press(t, ann, ticket.card, 'claim');
    const stale = structuredClone(cardNow()); // the card as it was when someone had it open
    await actWithText(t, ann, ticket.card, 'resolve', 'Fixed');
    t.discord.world.messages.set(stale.id, stale);

    const answer = await press(t, ann, ticket.card, 'wait');

    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toBe('Cannot set waiting on this ticket: it is resolved.');
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'resolved' });
  });
});
